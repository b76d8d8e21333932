import type { FilterDef } from '@mikro-orm/core';
import { CORE_ENTITIES, Tenant } from '@caregraph/schema';

/** Name of the filter that restricts every query to the current tenant. */
export const TENANT_FILTER = 'tenant';

/** Arguments of the tenant filter, set per forked EntityManager. */
export interface TenantFilterArgs {
  tenantId: string;
}

/**
 * The tenant filter: on by default for every tenant-owned entity, so a query run without a
 * tenant fails loudly (missing filter argument) instead of reading across tenants.
 */
export function tenantFilter(): FilterDef {
  return {
    name: TENANT_FILTER,
    cond: (args: TenantFilterArgs) => ({ tenantId: args.tenantId }),
    default: true,
    entity: CORE_ENTITIES.filter((entity) => entity !== Tenant),
  };
}
