import type { Role } from '@caregraph/schema';

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
 *   Query: { deviceReadings: { kind: 'roles', roles: [Role.NURSE, Role.PHYSICIAN] } },
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
