import type { MikroORM } from '@mikro-orm/sql';
import { isEntityId, User } from '@caregraph/schema';
import { UnauthenticatedError } from '../errors/caregraph-error.js';
import type { Actor } from './actor.js';
import { withSystemScope, withTenantScope } from '../db/tenant-scope.js';
import type { VerifiedToken } from './token-verifier.js';

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

/** The columns of "user" an Actor is made of. */
interface UserRow {
  id: string;
  tenant_id: string;
  kind: User['kind'];
  roles: User['roles'];
  display_name: string;
  active: boolean;
  practitioner_id: string | null;
  patient_id: string | null;
  related_person_id: string | null;
}

const USER_COLUMNS =
  'id, tenant_id, kind, roles, display_name, active, practitioner_id, patient_id, related_person_id';

function actorOfRow(row: UserRow): Actor {
  return {
    userId: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    roles: [...row.roles],
    displayName: row.display_name,
    practitionerId: row.practitioner_id ?? undefined,
    patientId: row.patient_id ?? undefined,
    relatedPersonId: row.related_person_id ?? undefined,
  };
}

/**
 * Finds the active user a verified token names: by id and tenant for dev tokens, by the
 * identity provider's subject otherwise. Roles come from the database, not the token, so
 * revoking a role takes effect at the next request. Runs on every request, so it reads the
 * row with one plain SELECT instead of an ORM find (which costs ~1 ms of CPU; BENCHMARKS.md).
 */
export async function resolveActor(
  orm: MikroORM,
  token: VerifiedToken,
  onDataKeyVersion?: (tenantId: string, version: number | null) => void,
): Promise<Actor> {
  const connection = orm.em.getConnection();
  // Encryption at rest: the tenant's active data key version, read in the same statement, lets
  // the keyring notice a rotation started by another process without a query of its own.
  const columns = onDataKeyVersion
    ? `${USER_COLUMNS}, (select max(k.version) from tenant_key k where k.tenant_id = "user".tenant_id and k.purpose = 'data' and k.status = 'active') as cg_data_key_version`
    : USER_COLUMNS;
  let rows: (UserRow & { cg_data_key_version?: number | string | null })[] = [];
  if (token.isDevToken) {
    if (isEntityId(token.subject) && isEntityId(token.tenantId)) {
      const tenantId = token.tenantId;
      rows = await withTenantScope(tenantId, () =>
        connection.execute<UserRow[]>(
          `select ${columns} from "user" where id = ? and tenant_id = ?`,
          [token.subject, tenantId],
        ),
      );
    }
  } else {
    // An identity provider's subject may belong to any tenant: the one cross-tenant read of a
    // request, before the request is bound to the user's tenant.
    rows = await withSystemScope(() =>
      connection.execute<UserRow[]>(`select ${columns} from "user" where subject = ?`, [
        token.subject,
      ]),
    );
  }
  const user = rows[0];
  if (!user || !user.active) throw UnauthenticatedError.unknownUser();
  const version = user.cg_data_key_version;
  onDataKeyVersion?.(
    user.tenant_id,
    version === null || version === undefined ? null : Number(version),
  );
  return actorOfRow(user);
}

/**
 * Reloads the actors of `userIds` in one statement (open WebSocket connections re-check their
 * users with it). A user that is missing or inactive is absent from the result.
 */
export async function loadActiveActors(
  orm: MikroORM,
  userIds: readonly string[],
): Promise<Map<string, Actor>> {
  const actors = new Map<string, Actor>();
  const ids = [...new Set(userIds)].filter((id) => isEntityId(id));
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    // Open connections belong to users of every tenant.
    const rows = await withSystemScope(() =>
      orm.em
        .getConnection()
        .execute<UserRow[]>(
          `select ${USER_COLUMNS} from "user" where active and id in (${chunk.map(() => '?').join(', ')})`,
          chunk,
        ),
    );
    for (const row of rows) actors.set(row.id, actorOfRow(row));
  }
  return actors;
}
