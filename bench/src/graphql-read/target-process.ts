import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createHub, mintDevToken, validateConfig } from '@caregraph/core';
import { benchKeyProvider } from '../shared/bench-keys.js';
import { runChildMain, serveBenchChild } from '../shared/child-process.js';
import { startBaselineServer } from './baseline-server.js';

/**
 * A benchmark target in its own process (forked by run.ts, so the load generator and each
 * server do not share an event loop): `baseline`, `caregraph`, or `caregraph-no-shield`.
 * Reports `{ url, authorization }` when listening (see `serveBenchChild` for the IPC).
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
  const running = await start(target, values['database-url'], values.tenant, values.user);
  serveBenchChild(running.ready, running.stop);
}

runChildMain(main);
