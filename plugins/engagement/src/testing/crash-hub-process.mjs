/**
 * A real hub with the engagement plugin, as a process a test can SIGKILL (the crash suite,
 * `engagement-crash.pg.int.test.ts`). Plain JavaScript on the built packages: the hub runs the
 * compiled code (decorator metadata) as a deployment does, and nothing needs building for this file.
 *
 *   node crash-hub-process.mjs '{"databaseUrl":…,"tenantId":…,"integrationUserId":…,
 *                                "masterKeyFile":…,"dataDir":…,"clockOffsetMs":…,"engagement":{…}}'
 *
 * Boots `createHub` on the PostgreSQL database, seeds the demo clinic with the pinned tenant and
 * integration account on the first boot only, registers the engagement plugin with the JSON-shaped
 * config `engagement` (its email channel points at the test's SMTP peer) on a clock that reads
 * the system time plus an offset, and prints one JSON line `{"ready":true,…}` once the plugin runs.
 * Each line `{"clockOffsetMs":n}` on stdin sets the offset (answered `{"clock":…}`), so the test
 * moves the scheduler's time without restarting. SIGTERM stops it gracefully.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createHub, createLogger, validateConfig } from '@caregraph/core';
import { withConfig } from '@caregraph/plugin-sdk';

const PLUGIN = new URL('../../dist/plugin.js', import.meta.url);
const START_TIMEOUT_MS = 60_000;

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

if (!existsSync(PLUGIN)) fail(`build the plugin first (tsc -b): ${PLUGIN.pathname} is missing`);
const { createEngagementPlugin } = await import(PLUGIN.href);
const options = JSON.parse(process.argv[2] ?? '{}');
for (const key of ['databaseUrl', 'tenantId', 'integrationUserId', 'masterKeyFile', 'dataDir'])
  if (options[key] === undefined) fail(`crash-hub-process: option ${key} is required`);

let clockOffsetMs = options.clockOffsetMs ?? 0;
const clock = { now: () => new Date(Date.now() + clockOffsetMs) };

const logLevel = process.env.CAREGRAPH_TEST_LOG ? 'debug' : 'silent';
const hub = await createHub({
  config: validateConfig({
    nodeEnv: 'test',
    port: 0,
    databaseUrl: options.databaseUrl,
    masterKeyFile: options.masterKeyFile,
    dataDir: options.dataDir,
    logLevel,
    seedDemo: true,
    rateLimitPoints: 100_000,
  }),
  logger: createLogger({ level: logLevel }),
  seedIds: { tenantId: options.tenantId, integrationUserId: options.integrationUserId },
  plugins: [
    withConfig(createEngagementPlugin({ clock }), {
      ...options.engagement,
      tenantId: options.tenantId,
      integrationUserId: options.integrationUserId,
    }),
  ],
});
const url = await hub.start();

const deadline = Date.now() + START_TIMEOUT_MS;
for (;;) {
  const status = hub.plugins.host.statuses().find((s) => s.id === 'engagement');
  if (status?.state === 'running') break;
  if (Date.now() > deadline) fail(`the engagement plugin did not start: ${JSON.stringify(status)}`);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  if (typeof command.clockOffsetMs !== 'number') return;
  clockOffsetMs = command.clockOffsetMs;
  process.stdout.write(`${JSON.stringify({ clock: clock.now().toISOString(), clockOffsetMs })}\n`);
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  hub.stop().then(
    () => process.exit(0),
    (error) => fail(`stop failed: ${error}`),
  );
});

process.stdout.write(`${JSON.stringify({ ready: true, url, seeded: Boolean(hub.seeded) })}\n`);
