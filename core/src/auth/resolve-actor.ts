import type { MikroORM } from '@mikro-orm/sql';
import { User } from '@caregraph/schema';
import { UnauthenticatedError } from '../errors/caregraph-error.js';
import type { Actor } from './actor.js';
import type { VerifiedToken } from './token-verifier.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns an active user row into an Actor. */
export function actorOf(user: User): Actor {
  return {
    userId: user.id,
    tenantId: user.tenantId,
    kind: user.kind,
    roles: [...user.roles],
    displayName: user.displayName,
    practitionerId: user.practitioner?.id,
    patientId: user.patient?.id,
    relatedPersonId: user.relatedPerson?.id,
  };
}

/**
 * Finds the active user a verified token names: by id and tenant for dev tokens, by the
 * identity provider's subject otherwise. Roles come from the database, not the token, so
 * revoking a role takes effect at the next request.
 */
export async function resolveActor(orm: MikroORM, token: VerifiedToken): Promise<Actor> {
  const em = orm.em.fork({ clear: true });
  let user: User | null = null;
  if (token.isDevToken) {
    if (UUID.test(token.subject) && token.tenantId && UUID.test(token.tenantId)) {
      user = await em.findOne(User, { id: token.subject, tenantId: token.tenantId }, { filters: false });
    }
  } else {
    user = await em.findOne(User, { subject: token.subject }, { filters: false });
  }
  if (!user || !user.active) throw UnauthenticatedError.unknownUser();
  return actorOf(user);
}
