import type { Role } from '@caregraph/schema';

/**
 * Categories of a patient's data, the unit of the hub's permission matrix and of its access
 * audit (docs/security.md): a plugin names the category of the PHI it serves (since API 1.5.0).
 */
export type PatientDataCategory =
  | 'demographics'
  | 'contact'
  | 'scheduling'
  | 'careRelations'
  | 'clinical'
  | 'sensitiveClinical'
  | 'coverage'
  | 'communications'
  | 'audit';

/**
 * Who may resolve a GraphQL field a plugin adds. Declarative, so the hub builds the
 * graphql-shield rule, documents it and tests it like its own (core/src/security).
 */
export type FieldPermission =
  /** Any signed-in user of the tenant (the resolver filters what it returns). */
  | { kind: 'authenticated' }
  /** Holders of at least one of these roles. */
  | { kind: 'roles'; roles: readonly Role[] }
  /**
   * The caller may read `category` of the patient whose id is the field's argument at `argument`
   * (a dotted path: `patientId`, `input.patientId`): role and purpose of use as the permission
   * matrix grants them, and a care relationship with that patient (care team, self, proxy, or an
   * active break-the-glass session), decided as for core's own fields. The decision, a refusal
   * included, goes into the operation's access audit. A malformed id reaches the resolver, which
   * answers BAD_USER_INPUT. Since API 1.5.0.
   */
  | { kind: 'patient'; category: PatientDataCategory; argument: string }
  /**
   * The caller's roles grant reading `category` of some patients for the request's purpose of
   * use; the resolver decides per patient once it knows them (`TenantScope.mayRead`), like a
   * field that loads a record by its id. Since API 1.5.0.
   */
  | { kind: 'category'; category: PatientDataCategory }
  /**
   * No check: only for value types reached through a field that is itself guarded (a reading's
   * `unit`). Never on a root field: the hub refuses `allow` on Query, Mutation or Subscription.
   */
  | { kind: 'allow' };

/**
 * The rules of every field a plugin adds: per type, one rule for all its fields or one per field.
 * Fields without a rule are refused at boot (`CG_ERR_PLUGIN_PERMISSION_MISSING`).
 *
 * @example
 * permissions: {
 *   Query: {
 *     deviceReadings: { kind: 'roles', roles: [Role.NURSE, Role.PHYSICIAN] },
 *     readingsOf: { kind: 'patient', category: 'clinical', argument: 'patientId' },
 *   },
 *   DeviceReading: { kind: 'authenticated' },
 * }
 */
export type PluginPermissions = Readonly<
  Record<string, FieldPermission | Readonly<Record<string, FieldPermission>>>
>;

/** Whether a permissions entry is a type-wide rule (not a map of field rules). */
export function isFieldPermission(
  entry: FieldPermission | Readonly<Record<string, FieldPermission>>,
): entry is FieldPermission {
  return typeof (entry as { kind?: unknown }).kind === 'string';
}
