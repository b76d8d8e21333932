import { parseArgs } from 'node:util';
import { mintDevToken } from '@caregraph/core';
import { startBenchHub } from '../shared/bench-hub.js';
import { runMain, serveBenchChild } from '../shared/child-process.js';
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
  const { hub, port } = await startBenchHub(
    databaseUrl,
    {},
    { authorization: target === 'caregraph' },
  );
  const token = await mintDevToken(hub.devSigningKey!, { userId, tenantId }, '2h');
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

runMain(main);
