/**
 * Issue 4 (operational gaps): `caregraph migrate` applies the migrations of the configured
 * plugins (config key `plugins`, as `start` registers them) after core's. In-process (the
 * command's function, not a child process) to keep the CLI suites fast.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migration } from '@mikro-orm/migrations';
import { definePlugin } from '@caregraph/plugin-sdk';
import { loadConfig, validateConfig } from '../config/load-config.js';
import { writeMasterKeyFile } from '../crypto/master-key-file.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { migrateCommand, withOperatorDatabase } from './operator-database.js';

class CreateCliNote extends Migration {
  override up(): void {
    this.addSql(
      `create table "cli_note" ("id" uuid not null primary key, "tenant_id" uuid not null, "text" text not null);`,
    );
  }
}

const cliNotes = definePlugin({
  id: 'cli-notes',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  migrations: [{ name: 'create_cli_note', class: CreateCliNote }],
});

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'caregraph-migrate-'));
  await writeMasterKeyFile(join(dir, 'master-key'));
});
afterAll(async () => {
  await database?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const configWith = (plugins: unknown[]) =>
  validateConfig({
    nodeEnv: 'test',
    dataDir: join(dir, 'data'),
    masterKeyFile: join(dir, 'master-key'),
    logLevel: 'silent',
    ...(database.target.kind === 'postgres' ? { databaseUrl: database.target.url } : {}),
    plugins: plugins as never,
  });

describe('caregraph migrate with plugins (issue 4)', () => {
  it("applies core's migrations, then the configured plugins', once", async () => {
    const applied = await migrateCommand(configWith([cliNotes]));
    expect(applied.at(-1)).toBe('plugin:cli-notes:create_cli_note');
    expect(applied.indexOf('plugin:cli-notes:create_cli_note')).toBeGreaterThan(
      applied.findIndex((name) => name.startsWith('Migration')),
    );
    const { columns, pending } = await withOperatorDatabase(
      configWith([cliNotes]),
      async (orm) => ({
        columns: await orm.em
          .fork()
          .execute<{ column_name: string }[]>(
            `select column_name from information_schema.columns where table_name = 'cli_note' order by column_name`,
          ),
        pending: await orm.migrator.getPending(),
      }),
    );
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'tenant_id', 'text']);
    expect(pending).toEqual([]);
  });

  it('refuses an invalid plugin registration before touching the database', async () => {
    await expect(
      migrateCommand(configWith([{ ...cliNotes, apiVersion: '^9.0.0' }])),
    ).rejects.toMatchObject({ code: 'CG_ERR_PLUGIN_API_VERSION' });
  });

  it('reads plugins from a caregraph.config.mjs', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'caregraph-config-'));
    try {
      await writeFile(
        join(cwd, 'caregraph.config.mjs'),
        `export default { plugins: [{ id: 'from-file', version: '1.0.0', apiVersion: '^1.0.0' }] };\n`,
      );
      const config = await loadConfig({ cwd, env: {} });
      expect(config.plugins).toEqual([{ id: 'from-file', version: '1.0.0', apiVersion: '^1.0.0' }]);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
