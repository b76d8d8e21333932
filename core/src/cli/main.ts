#!/usr/bin/env node
import 'reflect-metadata';
import { writeFile, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { printSchema } from 'graphql';
import { Tenant } from '@caregraph/schema';
import { loadConfig } from '../config/load-config.js';
import type { CareGraphConfig, CareGraphConfigInput } from '../config/config-schema.js';
import { verifyAuditChain } from '../audit/verify-audit-chain.js';
import { migrateDatabase } from '../db/create-orm.js';
import { createMigration } from '../db/create-migration.js';
import { CareGraphError } from '../errors/caregraph-error.js';
import { buildUnprotectedSchema } from '../graphql/build-schema.js';
import { withPermissionMatrix } from '../security/permission-doc.js';
import { buildPersistedQueryManifest } from '../graphql/persisted-query-manifest.js';
import { isDatabaseEmpty, seedDemoClinic } from '../seed/demo-clinic.js';
import { createHub } from '../server/create-hub.js';
import { startupBanner } from './banner.js';
import { mintTokenForUser } from './token-command.js';
import { registerKeysCommand } from './keys-command.js';
import { migrateCommand, withOperatorDatabase, type OperatorOrm } from './operator-database.js';
import { registerPluginCommands } from './plugin-commands.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));
const SECURITY_DOC_FILE = fileURLToPath(new URL('../../../docs/security.md', import.meta.url));

interface ServeFlags {
  port?: string;
  memory?: boolean;
  dataDir?: string;
}

function overrides(flags: ServeFlags): CareGraphConfigInput {
  return {
    ...(flags.port !== undefined ? { port: flags.port as unknown as number } : {}),
    ...(flags.memory ? { memory: true } : {}),
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
  };
}

async function withDatabase<T>(
  flags: ServeFlags,
  work: (orm: OperatorOrm) => Promise<T>,
): Promise<T> {
  return withOperatorDatabase(await loadConfig({ overrides: overrides(flags) }), work);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `seed --tenant-id/--integration-user-id`: pinned ids, so an adapter's config can name them
 * (default: the config's `seedIds`).
 */
function seedIds(
  flags: { tenantId?: string; integrationUserId?: string },
  configured: CareGraphConfig['seedIds'],
) {
  for (const [flag, value] of [
    ['--tenant-id', flags.tenantId],
    ['--integration-user-id', flags.integrationUserId],
  ] as const)
    if (value !== undefined && !UUID.test(value))
      throw new CareGraphError('BAD_USER_INPUT', `${flag} must be a UUID, got "${value}".`);
  return {
    tenantId: flags.tenantId ?? configured?.tenantId,
    integrationUserId: flags.integrationUserId ?? configured?.integrationUserId,
  };
}

/** How long `serve` waits for the hub to drain after SIGTERM/SIGINT before it exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

async function serve(flags: ServeFlags): Promise<void> {
  const config = await loadConfig({ overrides: overrides(flags) });
  const hub = await createHub({ config });
  const url = await hub.start();
  console.log(await startupBanner(hub, url));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    hub.logger.info({ signal }, 'stopping');
    // A shutdown that hangs (a stuck connection, a plugin's stop) must not keep the process.
    setTimeout(() => {
      hub.logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await hub.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

const program = new Command('caregraph').description('CareGraph healthcare CRM integration hub');
const dbOptions = (command: Command) =>
  command
    .option('--data-dir <dir>', 'embedded database directory (CAREGRAPH_DATA_DIR)')
    .addOption(new Option('--memory', 'embedded database in memory only (CAREGRAPH_MEMORY)'));

for (const name of ['serve', 'start']) {
  dbOptions(program.command(name))
    .description(
      name === 'serve'
        ? 'run the hub (migrates; seeds the demo clinic into an empty dev database)'
        : 'alias of serve',
    )
    .option('-p, --port <port>', 'HTTP port (CAREGRAPH_PORT, default 4000)')
    .action(serve);
}

dbOptions(program.command('migrate'))
  .description('apply pending database migrations')
  .action(async (flags: ServeFlags) => {
    const applied = await migrateCommand(await loadConfig({ overrides: overrides(flags) }));
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  });

dbOptions(program.command('seed'))
  .description('seed the demo clinic into an empty database (never in production)')
  .option('--tenant-id <uuid>', "the demo tenant's id (default: random)")
  .option(
    '--integration-user-id <uuid>',
    "the integration account's id, for an adapter's config (default: random)",
  )
  .action(async (flags: ServeFlags & { tenantId?: string; integrationUserId?: string }) => {
    const config = await loadConfig({ overrides: overrides(flags) });
    if (config.nodeEnv === 'production')
      throw new CareGraphError(
        'CG_ERR_CONFIG_INVALID',
        'Refusing to seed demo data when NODE_ENV=production.',
      );
    await withDatabase(flags, async (orm) => {
      await migrateDatabase(orm);
      if (!(await isDatabaseEmpty(orm))) {
        console.log('The database already has data; nothing seeded.');
        return;
      }
      const seed = await seedDemoClinic(orm, { ids: seedIds(flags, config.seedIds) });
      console.log(
        `Seeded ${seed.tenantSlug}: ${seed.patientCount} patients, ${seed.users.length} users.`,
      );
    });
  });

const audit = program.command('audit').description('audit log tools');
dbOptions(audit.command('verify'))
  .description('verify the tamper-evident audit hash chain (exit code 1 when it is broken)')
  .option('--tenant <slug-or-id>', 'only this tenant')
  .action(async (flags: ServeFlags & { tenant?: string }) => {
    const intact = await withDatabase(flags, async (orm) => {
      if ((await orm.migrator.getPending()).length > 0)
        throw new CareGraphError(
          'CG_ERR_CONFIG_INVALID',
          'The database is not migrated: run "caregraph migrate" first.',
        );
      const tenants = await orm.em
        .fork()
        .find(Tenant, {}, { filters: false, fields: ['id', 'slug'] });
      const slugs = new Map(tenants.map((t) => [t.id, t.slug]));
      let tenantId: string | undefined;
      if (flags.tenant !== undefined) {
        tenantId = tenants.find((t) => t.id === flags.tenant || t.slug === flags.tenant)?.id;
        if (!tenantId) throw new CareGraphError('NOT_FOUND', `No tenant "${flags.tenant}".`);
      }
      const report = await verifyAuditChain(orm, tenantId);
      if (report.ok) {
        console.log(`Audit chain intact: ${report.events} events in ${report.tenants} tenants`);
        return true;
      }
      for (const p of report.problems) {
        const tenant = slugs.get(p.tenantId) ?? p.tenantId;
        console.log(`tenant ${tenant} sequence ${p.sequence} event ${p.id ?? '-'}: ${p.problem}`);
      }
      console.log(`Audit chain broken: ${report.problems.length} problems.`);
      return false;
    });
    if (!intact) process.exitCode = 1;
  });

program
  .command('token')
  .description('print a dev token for a seeded user (only the token, for scripts)')
  .option('--user <id-or-email>', 'the user')
  .option('--role <role>', 'the first user with this role')
  .option('--ttl <duration>', 'lifetime such as 30m, 8h, 7d')
  .option('--data-dir <dir>', 'embedded database directory (CAREGRAPH_DATA_DIR)')
  .action(async (flags: { user?: string; role?: string; ttl?: string; dataDir?: string }) => {
    const config = await loadConfig({ overrides: overrides(flags) });
    console.log(await mintTokenForUser(config, flags));
  });

registerKeysCommand(
  program,
  (flags) => loadConfig({ overrides: overrides(flags) }),
  (line) => console.log(line),
);

program
  .command('print-schema')
  .description('write the GraphQL SDL to schema/schema.graphql (--check: fail if it differs)')
  .option('--check', 'compare instead of writing')
  .action(async (flags: { check?: boolean }) => {
    const sdl = `${printSchema(await buildUnprotectedSchema())}\n`;
    if (!flags.check) {
      await writeFile(SCHEMA_FILE, sdl);
      console.log(`Wrote ${SCHEMA_FILE}`);
      return;
    }
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    if (committed !== sdl) {
      console.error(
        'schema/schema.graphql is out of date: run "npm run schema:print" and commit it.',
      );
      process.exitCode = 1;
    }
  });

program
  .command('docs:security')
  .description('regenerate the permission matrix in docs/security.md (--check: fail if it differs)')
  .option('--check', 'compare instead of writing')
  .action(async (flags: { check?: boolean }) => {
    const committed = await readFile(SECURITY_DOC_FILE, 'utf8');
    const current = withPermissionMatrix(committed);
    if (!flags.check) {
      await writeFile(SECURITY_DOC_FILE, current);
      console.log(`Wrote ${SECURITY_DOC_FILE}`);
    } else if (current !== committed) {
      console.error('docs/security.md is out of date: run "npm run docs:security" and commit it.');
      process.exitCode = 1;
    }
  });

program
  .command('trusted-documents <files...>')
  .description(
    'build an Apollo persisted query manifest from .graphql files (for CAREGRAPH_TRUSTED_DOCUMENTS)',
  )
  .option('-o, --output <file>', 'write the manifest here instead of printing it')
  .action(async (files: string[], flags: { output?: string }) => {
    const sources = await Promise.all(
      files.map(async (name) => ({ name, text: await readFile(name, 'utf8') })),
    );
    let manifest;
    try {
      manifest = buildPersistedQueryManifest(sources);
    } catch (error) {
      throw new CareGraphError('BAD_USER_INPUT', (error as Error).message);
    }
    const json = `${JSON.stringify(manifest, null, 2)}\n`;
    if (!flags.output) return void process.stdout.write(json);
    await writeFile(flags.output, json);
    console.log(`Wrote ${manifest.operations.length} operations to ${flags.output}`);
  });

program
  .command('migration:create <name>')
  .description('(CareGraph developers) generate a migration from entity changes')
  .action(async (name: string) => {
    const file = await createMigration(name);
    console.log(file ? `Created ${file}` : 'No changes: the entities match the migrations.');
  });

/**
 * Plugin commands (`caregraph hl7 import`) come from the config file's plugins: the config is
 * loaded only when the command is not one of core's, so a broken config never stops
 * `caregraph migrate --help` or `print-schema`. Help without a command lists them if it can.
 */
async function withPluginCommands(): Promise<void> {
  const first = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
  if (
    first &&
    first !== 'help' &&
    program.commands.some((c) => c.name() === first || c.aliases().includes(first))
  )
    return;
  const register = async () =>
    registerPluginCommands(program, await loadConfig(), {
      loadConfig: (flags) => loadConfig({ overrides: overrides(flags) }),
      streams: { stdout: process.stdout, stderr: process.stderr },
      exit: (code) => (process.exitCode = code),
    });
  if (first && first !== 'help') return register();
  await register().catch(() => undefined);
}

withPluginCommands()
  .then(() => program.parseAsync())
  .catch((error: unknown) => {
    if (error instanceof CareGraphError) {
      console.error(`caregraph: ${error.message}`);
    } else {
      console.error('caregraph: unexpected error', error);
    }
    process.exit(1);
  });
