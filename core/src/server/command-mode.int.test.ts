/**
 * Issue "caregraph hl7 import": a hub created in command mode (what plugin CLI commands run
 * against) opens and migrates the database and gives plugins their context, but seeds nothing,
 * serves nothing, never runs plugin `start` hooks and refuses `start`.
 */
import { definePlugin, PluginErrorCode } from '@caregraph/plugin-sdk';
import { validateConfig } from '../config/load-config.js';
import { createLogger } from '../logging/logger.js';
import { isDatabaseEmpty } from '../seed/demo-clinic.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { createHub, type Hub } from './create-hub.js';

const started: string[] = [];

const importer = definePlugin({
  id: 'importer',
  version: '1.0.0',
  apiVersion: '^1.4.0',
  jobs: [{ name: 'later', run: async () => undefined }],
  commands: [{ name: 'importer run', description: 'imports', run: async () => 0 }],
  async start(ctx) {
    started.push(ctx.pluginId);
  },
});

let database: TestDatabase;
let hub: Hub;

beforeAll(async () => {
  database = await createTestDatabase();
  hub = await createHub({
    config: validateConfig({ nodeEnv: 'test', memory: true, port: 0, logLevel: 'silent' }),
    logger: createLogger({ level: 'silent' }),
    database: database.target,
    plugins: [importer],
    mode: 'command',
  });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await database?.dispose();
});

it('migrates and gives the plugin its context, without seeding, serving or starting it', async () => {
  expect(await hub.orm.migrator.getPending()).toEqual([]);
  expect(hub.seeded).toBeUndefined();
  expect(await isDatabaseEmpty(hub.orm)).toBe(true);
  const ctx = hub.pluginContext('importer');
  expect(ctx.pluginId).toBe('importer');
  expect(ctx.signal.aborted).toBe(false);
  expect(started).toEqual([]);
  expect(hub.httpServer.listening).toBe(false);
  await expect(hub.start()).rejects.toThrow('A hub in command mode does not serve.');
  expect(hub.httpServer.listening).toBe(false);
  expect(started).toEqual([]);
});

it('has no job queue (scheduling throws) and names unknown plugins', async () => {
  await expect(hub.pluginContext('importer').jobs.schedule('later', {})).rejects.toThrow(
    'The job queue is not running',
  );
  expect(() => hub.pluginContext('nope')).toThrow('No plugin "nope" is registered.');
});

it('refuses a plugin command that clashes, before the database opens', async () => {
  const twin = { ...importer, id: 'twin' };
  await expect(
    createHub({
      config: validateConfig({ nodeEnv: 'test', memory: true, logLevel: 'silent' }),
      database: { kind: 'pglite-memory' },
      plugins: [importer, twin],
      mode: 'command',
    }),
  ).rejects.toMatchObject({
    code: PluginErrorCode.COMMAND_CLASH,
    details: { path: 'plugins[1].commands[0].name' },
  });
});
