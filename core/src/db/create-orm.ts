import { join, resolve } from 'node:path';
import type { MigrationObject, Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM as PgliteMikroORM } from '@mikro-orm/pglite';
import { MikroORM as PostgresMikroORM } from '@mikro-orm/postgresql';
import type { EntityManager, MikroORM } from '@mikro-orm/sql';
import { CORE_ENTITIES } from '@caregraph/schema';
import { decryptingHydrator } from '../crypto/decrypting-hydrator.js';
import { FieldEncryptionSubscriber } from '../crypto/field-encryption-subscriber.js';
import type { Keyring } from '../crypto/keyring.js';
import { registerKeyring } from '../crypto/keyring-registry.js';
import { validateSensitiveFields } from '../crypto/sensitive-fields.js';
import type { Logger } from '../logging/logger.js';
import { MIGRATIONS } from './migrations/index.js';
import { requireTenantOwned, tenantFilter } from './tenant-filter.js';
import { applyTenantIsolation } from './tenant-isolation.js';
import { withSystemScope } from './tenant-scope.js';
import { tenantSettingHook } from './tenant-setting-hook.js';

export type { EntityManager, MikroORM } from '@mikro-orm/sql';

/** Where and how to connect. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; schema?: string; /** Default 10. */ poolMax?: number }
  | { kind: 'pglite'; dataDir: string }
  | {
      kind: 'pglite-memory';
      /**
       * A data-directory image (PGlite `dumpDataDir`) to start from instead of an empty cluster:
       * the test suites start from one image of the migrated schema (see `buildPgliteImage`).
       */
      image?: Blob;
    };

/** The PGlite cluster directory inside CareGraph's data directory. */
export function pgliteDirectory(dataDir: string): string {
  return resolve(join(dataDir, 'pglite'));
}

/** Options of `createOrm`. */
export interface OrmOptions {
  logger?: Logger;
  /** Called with each SQL statement the ORM runs (tests count statements with it). */
  onQuery?: (sql: string) => void;
  /**
   * Keys for the `@Sensitive()` fields. Without a keyring the ORM still refuses to write or read
   * those fields (it never stores plaintext); raw SQL and other entities work.
   */
  keyring?: Keyring;
  /** Entities and committed migrations of registered plugins (after core's). */
  plugins?: {
    entities: readonly unknown[];
    migrations: readonly MigrationObject[];
    /** The id of the plugin that registered each entity (for boot errors). */
    owners?: ReadonlyMap<unknown, string>;
  };
}

function baseOptions({ logger, onQuery, keyring, plugins }: OrmOptions): Partial<Options> {
  return {
    entities: [...CORE_ENTITIES, ...((plugins?.entities ?? []) as typeof CORE_ENTITIES)],
    metadataProvider: ReflectMetadataProvider,
    hydrator: decryptingHydrator(keyring),
    subscribers: [new FieldEncryptionSubscriber(keyring)],
    extensions: [Migrator],
    filters: { tenant: tenantFilter(plugins?.entities) },
    // Every tenant-owned row carries and is filtered by its own tenant_id (and PostgreSQL's row
    // security): joining a referenced row only to filter it again costs a join per lookup.
    autoJoinRefsForFilters: false,
    discovery: {
      onMetadata: (meta) => applyTenantIsolation(meta),
      // After discovery, when inherited properties (TenantScopedEntity's tenantId) are merged.
      afterDiscovered: (storage) => {
        const check = requireTenantOwned(plugins?.entities ?? [], plugins?.owners);
        for (const meta of storage.getAll().values()) check(meta);
      },
    },
    migrations: {
      migrationsList: [...MIGRATIONS, ...(plugins?.migrations ?? [])],
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      tableName: 'caregraph_migrations',
    },
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    allowGlobalContext: false,
    debug: onQuery ? ['query'] : false,
    colors: false,
    logger: (message: string) => {
      if (onQuery) onQuery(message);
      else logger?.debug({ orm: message }, 'orm');
    },
  };
}

/** Opens the ORM on PostgreSQL or embedded PGlite. Does not migrate (see `migrateDatabase`). */
export async function createOrm(
  target: DatabaseTarget,
  ormOptions: OrmOptions = {},
): Promise<MikroORM> {
  const options = baseOptions(ormOptions);
  let orm: MikroORM;
  if (target.kind === 'postgres') {
    orm = (await PostgresMikroORM.init({
      ...options,
      clientUrl: target.url,
      schema: target.schema,
      migrations: { ...options.migrations, schema: target.schema },
      pool: { min: 0, max: target.poolMax ?? 10 },
      // Row-level security: each connection carries the tenant of the scope that uses it.
      onReserveConnection: tenantSettingHook(),
    } as Options)) as unknown as MikroORM;
  } else {
    const dbName = target.kind === 'pglite' ? pgliteDirectory(target.dataDir) : 'memory://';
    const image = target.kind === 'pglite-memory' ? target.image : undefined;
    orm = (await PgliteMikroORM.init({
      ...options,
      dbName,
      // A function: the ORM deep-copies plain options, which would break the Blob.
      ...(image ? { driverOptions: () => ({ loadDataDir: image }) } : {}),
    } as Options)) as unknown as MikroORM;
  }
  try {
    validateSensitiveFields(orm.getMetadata());
  } catch (error) {
    await orm.close();
    throw error;
  }
  if (ormOptions.keyring) registerKeyring(orm.config, ormOptions.keyring);
  return orm;
}

/** Applies every pending committed migration; returns the names applied. */
export async function migrateDatabase(orm: MikroORM): Promise<string[]> {
  const applied = await withSystemScope(() => orm.migrator.up());
  return applied.map((migration) => migration.name);
}

/** A fresh EntityManager scoped to one tenant (filters on, own identity map). */
export function forkForTenant(orm: MikroORM, tenantId: string): EntityManager {
  const em = orm.em.fork({ clear: true }) as EntityManager;
  em.setFilterParams('tenant', { tenantId });
  return em;
}
