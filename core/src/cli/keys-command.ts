import type { Command } from 'commander';
import { Tenant } from '@caregraph/schema';
import type { CareGraphConfig } from '../config/config-schema.js';
import { rotateDataKey, rewrapTenantKeys } from '../crypto/key-rotation.js';
import { tenantKeyStatus } from '../crypto/key-status.js';
import { Keyring } from '../crypto/keyring.js';
import { LocalKeyProvider } from '../crypto/local-key-provider.js';
import {
  createKeyProvider,
  readMasterKeyFile,
  writeMasterKeyFile,
} from '../crypto/master-key-file.js';
import { acquireDataDirLock } from '../db/data-dir-lock.js';
import { createOrm, type MikroORM } from '../db/create-orm.js';
import { withSystemScope } from '../db/tenant-scope.js';
import { CareGraphError, ConfigError, ErrorCode } from '../errors/caregraph-error.js';

/** Default grace period on PostgreSQL: long enough for requests in flight on the hubs to end. */
const DEFAULT_GRACE_SECONDS = 15;

interface KeysFlags {
  tenant?: string;
  batchSize?: string;
  grace?: string;
  newMasterKeyFile?: string;
}

/**
 * Opens the configured database with a keyring for key management. On embedded PGlite this
 * takes the data directory lock, so it refuses (naming the process) while a hub runs there.
 */
async function withKeyring<T>(
  config: CareGraphConfig,
  work: (orm: MikroORM, keyring: Keyring, embedded: boolean) => Promise<T>,
): Promise<T> {
  if (config.memory)
    throw ConfigError.invalid(['CAREGRAPH_MEMORY: an in-memory hub has no stored keys to manage']);
  const embedded = !config.databaseUrl;
  const lock = embedded ? await acquireDataDirLock(config.dataDir) : undefined;
  try {
    const keyring = new Keyring(await createKeyProvider(config));
    const orm = await createOrm(
      config.databaseUrl
        ? { kind: 'postgres', url: config.databaseUrl }
        : { kind: 'pglite', dataDir: config.dataDir },
      { keyring },
    );
    try {
      if ((await orm.migrator.getPending()).length > 0)
        throw new CareGraphError(
          ErrorCode.CONFIG_INVALID,
          'The database is not migrated: run "caregraph migrate" first.',
        );
      // Key management works across tenants.
      return await withSystemScope(async () => {
        await keyring.loadAll(orm.em.fork());
        return work(orm, keyring, embedded);
      });
    } finally {
      await orm.close();
    }
  } finally {
    await lock?.release();
  }
}

function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw ConfigError.invalid([`${flag}: expected a whole number, got "${value}"`]);
  return number;
}

/** `caregraph keys rotate|rewrap|new-master-key`. */
export function registerKeysCommand(
  program: Command,
  loadConfig: (flags: { dataDir?: string }) => Promise<CareGraphConfig>,
  print: (line: string) => void,
): void {
  const keys = program.command('keys').description('field encryption keys (encryption at rest)');

  keys
    .command('rotate')
    .description(
      'new data key version per tenant, re-encrypt every encrypted value online, retire the old version',
    )
    .option('--tenant <slug-or-id>', 'only this tenant')
    .option('--batch-size <n>', 'rows per batch (default 500)')
    .option(
      '--grace <seconds>',
      `wait for running hubs to load the new key (PostgreSQL; default ${DEFAULT_GRACE_SECONDS})`,
    )
    .option('--data-dir <dir>', 'embedded database directory (CAREGRAPH_DATA_DIR)')
    .action(async (flags: KeysFlags & { dataDir?: string }) => {
      const config = await loadConfig(flags);
      await withKeyring(config, async (orm, keyring, embedded) => {
        const tenants = await orm.em
          .fork()
          .find(Tenant, {}, { filters: false, fields: ['id', 'slug'], orderBy: { slug: 'asc' } });
        const chosen = flags.tenant
          ? tenants.filter((t) => t.id === flags.tenant || t.slug === flags.tenant)
          : tenants.filter((t) => keyring.has(t.id));
        if (flags.tenant && chosen.length === 0)
          throw new CareGraphError(ErrorCode.NOT_FOUND, `No tenant "${flags.tenant}".`);
        // On the embedded database this process holds the lock: no hub can be running.
        const graceSeconds = embedded
          ? 0
          : positiveInteger(flags.grace, '--grace', DEFAULT_GRACE_SECONDS);
        for (const tenant of chosen) {
          const report = await rotateDataKey(orm, keyring, tenant.id, {
            batchSize: positiveInteger(flags.batchSize, '--batch-size', 500) || 500,
            graceMs: graceSeconds * 1000,
            log: print,
          });
          print(
            `tenant ${tenant.slug}: data key v${report.toVersion} active; ${report.rowsReencrypted} rows re-encrypted; retired v${report.fromVersions.join(', v')}`,
          );
        }
        print(`Rotated the data keys of ${chosen.length} tenant(s).`);
      });
    });

  keys
    .command('status')
    .description('key versions per tenant and how many stored values each one encrypts')
    .option('--data-dir <dir>', 'embedded database directory (CAREGRAPH_DATA_DIR)')
    .action(async (flags: { dataDir?: string }) => {
      const config = await loadConfig(flags);
      await withKeyring(config, async (orm, keyring) => {
        const slugs = new Map(
          (await orm.em.fork().find(Tenant, {}, { filters: false, fields: ['id', 'slug'] })).map(
            (t) => [t.id, t.slug],
          ),
        );
        print(`Master key: ${keyring.provider.masterKeyId}`);
        for (const report of await tenantKeyStatus(orm)) {
          const keys = report.keys
            .map((k) => {
              const uses =
                k.purpose === 'data' ? ` ${report.valuesByVersion[k.version] ?? 0} values` : '';
              return `${k.purpose} v${k.version} ${k.status}${uses}`;
            })
            .join('; ');
          print(
            `tenant ${slugs.get(report.tenantId) ?? report.tenantId}: ${keys}; plaintext ${report.plaintextValues}`,
          );
        }
      });
    });

  keys
    .command('rewrap')
    .description(
      're-wrap every tenant key with a new master key (data stays as it is); then set CAREGRAPH_MASTER_KEY_FILE to it',
    )
    .requiredOption('--new-master-key-file <file>', 'the new master key (see keys new-master-key)')
    .option('--data-dir <dir>', 'embedded database directory (CAREGRAPH_DATA_DIR)')
    .action(async (flags: KeysFlags & { dataDir?: string }) => {
      const config = await loadConfig(flags);
      const next = new LocalKeyProvider(await readMasterKeyFile(flags.newMasterKeyFile!));
      await withKeyring(config, async (orm, keyring) => {
        const count = await rewrapTenantKeys(orm, keyring.provider, next);
        print(
          `Re-wrapped ${count} tenant key(s) from master key ${keyring.provider.masterKeyId} to ${next.masterKeyId}. Set CAREGRAPH_MASTER_KEY_FILE=${flags.newMasterKeyFile} and restart the hubs.`,
        );
      });
    });

  keys
    .command('new-master-key <file>')
    .description('write a new random 256-bit master key (mode 0600; never overwrites)')
    .action(async (file: string) => {
      await writeMasterKeyFile(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST')
          throw ConfigError.invalid([`${file} already exists; choose a new file name`]);
        throw error;
      });
      const id = new LocalKeyProvider(await readMasterKeyFile(file)).masterKeyId;
      print(`Wrote master key ${id} to ${file}.`);
    });
}
