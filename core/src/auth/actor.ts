import type { Role, UserKind } from '@caregraph/schema';

/** Who is making a request: the signed-in user, resolved from the token and the database. */
export interface Actor {
  userId: string;
  tenantId: string;
  kind: UserKind;
  roles: readonly Role[];
  displayName: string;
  practitionerId?: string;
  patientId?: string;
  relatedPersonId?: string;
}

/** Whether the actor holds at least one of `roles`. */
export function hasAnyRole(actor: Actor | undefined, roles: readonly Role[]): boolean {
  return !!actor && actor.roles.some((role) => roles.includes(role));
}
