import type { CareGraphConfig } from '../config/config-schema.js';
import { Keyring } from '../crypto/keyring.js';
import { createKeyProvider } from '../crypto/master-key-file.js';
import { acquireDataDirLock } from '../db/data-dir-lock.js';
import { createOrm, migrateDatabase, type DatabaseTarget } from '../db/create-orm.js';
import { withSystemScope } from '../db/tenant-scope.js';
import { preparePlugins } from '../plugins/index.js';

/** The ORM as operator commands open it. */
export type OperatorOrm = Awaited<ReturnType<typeof createOrm>>;

/**
 * Opens the configured database for an operator command (migrate, seed, audit verify), with the
 * configured plugins' entities and migrations (config key `plugins`, as `start` runs them), in
 * the system scope: these commands work across tenants. The embedded database is locked
 * meanwhile (a running hub holds the lock, so they refuse to run beside it).
 */
export async function withOperatorDatabase<T>(
  config: CareGraphConfig,
  work: (orm: OperatorOrm) => Promise<T>,
): Promise<T> {
  // Validated before the database opens, like at boot.
  const plugins = await preparePlugins(config.plugins ?? []);
  const target: DatabaseTarget = config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: config.dataDir };
  const lock = target.kind === 'pglite' ? await acquireDataDirLock(config.dataDir) : undefined;
  try {
    // The seed encrypts sensitive fields as it writes them: the ORM needs the keyring.
    const keyring = new Keyring(await createKeyProvider(config));
    const orm = await createOrm(target, { keyring, plugins: plugins.orm });
    try {
      return await withSystemScope(() => work(orm));
    } finally {
      await orm.close();
    }
  } finally {
    await lock?.release();
  }
}

/** `caregraph migrate`: applies core's pending migrations, then the plugins'. Their names. */
export function migrateCommand(config: CareGraphConfig): Promise<string[]> {
  return withOperatorDatabase(config, migrateDatabase);
}
