import { registerEnumType } from 'type-graphql';

/** Roles a user can hold. Access also needs a care relationship for PHI (see core security). */
export enum Role {
  ADMIN = 'admin',
  PHYSICIAN = 'physician',
  NURSE = 'nurse',
  CARE_COORDINATOR = 'care_coordinator',
  FRONT_DESK = 'front_desk',
  BILLING = 'billing',
  ANALYST = 'analyst',
  PATIENT = 'patient',
  INTEGRATION = 'integration',
}
registerEnumType(Role, { name: 'Role' });

/** Every role, in a stable order. */
export const ALL_ROLES: readonly Role[] = Object.values(Role);

/** What a user account stands for. */
export enum UserKind {
  PRACTITIONER = 'practitioner',
  STAFF = 'staff',
  PATIENT = 'patient',
  RELATED_PERSON = 'related-person',
  INTEGRATION = 'integration',
}
registerEnumType(UserKind, { name: 'UserKind' });
