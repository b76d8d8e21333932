import type { FilterDef } from '@mikro-orm/core';
import { CORE_ENTITIES, Tenant } from '@caregraph/schema';
import { PluginError } from '../plugins/plugin-error.js';

/** Name of the filter that restricts every query to the current tenant. */
export const TENANT_FILTER = 'tenant';

/** Arguments of the tenant filter, set per forked EntityManager. */
export interface TenantFilterArgs {
  tenantId: string;
}

/**
 * The tenant filter: on by default for every tenant-owned entity, so a query run without a
 * tenant fails loudly (missing filter argument) instead of reading across tenants. Plugin
 * entities are tenant-owned too (`requireTenantOwned`).
 */
export function tenantFilter(pluginEntities: readonly unknown[] = []): FilterDef {
  return {
    name: TENANT_FILTER,
    cond: (args: TenantFilterArgs) => ({ tenantId: args.tenantId }),
    default: true,
    entity: [
      ...CORE_ENTITIES.filter((entity) => entity !== Tenant),
      ...(pluginEntities as typeof CORE_ENTITIES),
    ],
  };
}

/**
 * Plugin entities must be tenant-owned (a `tenantId` property): the tenant filter and the
 * row-level security policy then cover them like core's. Runs after metadata discovery (inherited
 * properties merged); a plugin
 * entity without `tenantId` stops the boot with `CG_ERR_PLUGIN_ENTITY_NOT_TENANT_OWNED`, naming
 * the plugin (`owners`: which plugin registered each entity) and the entity.
 */
export function requireTenantOwned(
  pluginEntities: readonly unknown[],
  owners: ReadonlyMap<unknown, string> = new Map(),
) {
  return (meta: {
    class: unknown;
    className: string;
    embeddable?: boolean;
    properties: object;
  }) => {
    if (meta.embeddable || !pluginEntities.includes(meta.class)) return;
    if (!('tenantId' in meta.properties))
      throw PluginError.entityNotTenantOwned(owners.get(meta.class) ?? 'unknown', meta.className);
  };
}
