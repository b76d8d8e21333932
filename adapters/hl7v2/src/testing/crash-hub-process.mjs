/**
 * A real hub with the HL7 adapter, as a process a test can SIGKILL (the crash suite,
 * `hl7-crash.pg.int.test.ts`). Plain JavaScript on the built packages: the hub runs the compiled
 * code (decorator metadata) as a deployment does, and nothing needs building for this file.
 *
 *   node crash-hub-process.mjs '{"databaseUrl":…,"mllpPort":…,"tenantId":…,"integrationUserId":…,
 *                                "masterKeyFile":…,"dataDir":…,"adapter":{…}}'
 *
 * Boots `createHub` on the PostgreSQL database, seeds the demo clinic with the pinned tenant and
 * integration account on the first boot only (the hub seeds an empty database; a restart on the
 * same database does not), registers the adapter listening on `mllpPort` (with the JSON-shaped
 * adapter config `adapter` merged in, e.g. `outbound` destinations), and prints one JSON
 * line `{"ready":true,…}` once the adapter is running. SIGTERM stops it gracefully.
 */
import { existsSync } from 'node:fs';
import { createHub, createLogger, validateConfig } from '@caregraph/core';
import { withConfig } from '@caregraph/plugin-sdk';

const PLUGIN = new URL('../../dist/plugin.js', import.meta.url);
const START_TIMEOUT_MS = 60_000;

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

if (!existsSync(PLUGIN)) fail(`build the adapter first (tsc -b): ${PLUGIN.pathname} is missing`);
const { hl7v2 } = await import(PLUGIN.href);
const options = JSON.parse(process.argv[2] ?? '{}');
for (const key of ['databaseUrl', 'mllpPort', 'tenantId', 'integrationUserId', 'masterKeyFile'])
  if (options[key] === undefined) fail(`crash-hub-process: option ${key} is required`);

const logLevel = process.env.CAREGRAPH_TEST_LOG ? 'debug' : 'silent';
const hub = await createHub({
  config: validateConfig({
    nodeEnv: 'test',
    port: 0,
    databaseUrl: options.databaseUrl,
    masterKeyFile: options.masterKeyFile,
    dataDir: options.dataDir ?? '.caregraph',
    logLevel,
    seedDemo: true,
  }),
  logger: createLogger({ level: logLevel }),
  seedIds: { tenantId: options.tenantId, integrationUserId: options.integrationUserId },
  plugins: [
    withConfig(hl7v2, {
      ...options.adapter,
      tenantId: options.tenantId,
      integrationUserId: options.integrationUserId,
      listen: { port: options.mllpPort, idleTimeoutSeconds: 0 },
    }),
  ],
});
const url = await hub.start();

const deadline = Date.now() + START_TIMEOUT_MS;
for (;;) {
  const status = hub.plugins.host.statuses().find((s) => s.id === 'hl7v2');
  if (status?.state === 'running') break;
  if (Date.now() > deadline) fail(`the hl7v2 plugin did not start: ${JSON.stringify(status)}`);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  hub.stop().then(
    () => process.exit(0),
    (error) => fail(`stop failed: ${error}`),
  );
});

process.stdout.write(
  `${JSON.stringify({ ready: true, url, mllpPort: options.mllpPort, seeded: Boolean(hub.seeded) })}\n`,
);
