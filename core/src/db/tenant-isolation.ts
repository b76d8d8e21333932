import type { EntityMetadata, PolicyDef } from '@mikro-orm/core';
import { SYSTEM_SCOPE_SETTING, TENANT_SETTING } from './tenant-scope.js';

/** Name of the row-level security policy on every tenant-owned table. */
export const TENANT_ISOLATION_POLICY = 'tenant_isolation';

const setting = `current_setting('${TENANT_SETTING}', true)`;

/**
 * The policy's condition: the row's tenant is the one the connection's scope names, or the
 * scope is the hub's system scope. Unset or empty matches nothing. (The uuid comparison keeps
 * the tenant indexes usable; `nullif` keeps `*` and empty from failing the cast.)
 */
function tenantCondition(tenantColumn: string): string {
  return `${tenantColumn} = nullif(nullif(${setting}, ''), '${SYSTEM_SCOPE_SETTING}')::uuid or ${setting} = '${SYSTEM_SCOPE_SETTING}'`;
}

const policy: PolicyDef = {
  name: TENANT_ISOLATION_POLICY,
  command: 'all',
  using: (columns: Record<string, string>) => tenantCondition(columns.tenantId),
  check: (columns: Record<string, string>) => tenantCondition(columns.tenantId),
};

/**
 * Row-level security, the second tenant wall behind the ORM's tenant filter: every entity with
 * a `tenantId` gets the tenant policy, forced so that it binds the tables' owner too (the hub
 * usually connects as the owner). Superusers and BYPASSRLS roles are exempt, which is why the
 * hub checks its role at boot (`row-level-security-check.ts`). Applied at metadata discovery,
 * so the schema generator and migrations keep the database in step with it.
 */
export function applyTenantIsolation(meta: EntityMetadata): void {
  // Entities inherit the policy from an abstract base that declares `tenantId`.
  if (!meta.properties.tenantId || meta.embeddable) return;
  meta.policies = [
    ...(meta.policies ?? []).filter((existing: PolicyDef) => existing.name !== policy.name),
    policy,
  ];
  meta.rowLevelSecurity = 'force';
}
