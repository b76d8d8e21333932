import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createHub, mintDevToken, validateConfig } from '@caregraph/core';
import { benchKeyProvider } from './bench-keys.js';
import { startBaselineServer } from './baseline-server.js';

/**
 * A benchmark target in its own process (forked by run.ts, so the load generator and each
 * server do not share an event loop): `baseline`, `caregraph`, or `caregraph-no-shield`.
 * Reports `{ url, authorization }` over IPC when listening; answers `cpu` with `{ cpuMicros }`
 * (its CPU time so far); stops on the message `stop`.
 */
export type TargetName = 'baseline' | 'caregraph' | 'caregraph-no-shield';

/** What a target reports when it is ready. */
export interface TargetReady {
  url: string;
  authorization?: string;
}

async function start(
  target: TargetName,
  databaseUrl: string,
  tenantId: string,
  userId: string,
): Promise<{ ready: TargetReady; stop: () => Promise<void> }> {
  if (target === 'baseline') {
    const baseline = await startBaselineServer({ databaseUrl });
    return { ready: { url: baseline.url }, stop: () => baseline.stop() };
  }
  const hub = await createHub({
    config: validateConfig({
      nodeEnv: 'test',
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      seedDemo: false,
      memory: true,
      databaseUrl,
      // The load generator is one user: a budget it never reaches (the limiter still runs).
      rateLimitPoints: 100_000_000,
    }),
    database: { kind: 'postgres', url: databaseUrl },
    authorization: target === 'caregraph',
    // The generator encrypted the rows with the bench database's master key.
    keyProvider: benchKeyProvider(databaseUrl),
  });
  await hub.start();
  if (!hub.devSigningKey)
    throw new Error('the hub has no dev signing key (nodeEnv must not be production)');
  const token = await mintDevToken(hub.devSigningKey, { userId, tenantId }, '2h');
  const { port } = hub.httpServer.address() as AddressInfo;
  return {
    ready: { url: `http://127.0.0.1:${port}/graphql`, authorization: `Bearer ${token}` },
    stop: () => hub.stop(),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      'database-url': { type: 'string' },
      tenant: { type: 'string' },
      user: { type: 'string' },
    },
  });
  const target = values.target as TargetName;
  if (
    !['baseline', 'caregraph', 'caregraph-no-shield'].includes(target) ||
    !values['database-url'] ||
    !values.tenant ||
    !values.user
  ) {
    throw new Error(
      'usage: target-process --target <baseline|caregraph|caregraph-no-shield> --database-url URL --tenant ID --user ID',
    );
  }
  if (!process.send)
    throw new Error('target-process runs as a child of run.js (it reports over IPC)');
  const running = await start(target, values['database-url'], values.tenant, values.user);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const failsafe = setTimeout(() => process.exit(0), 10_000);
    failsafe.unref();
    await running.stop().catch(() => {});
    process.disconnect?.();
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
    // CPU time used so far (user + system, µs): run.js reads it around each measured round.
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMicros: user + system });
    }
  });
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
  process.send({ ready: running.ready });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
