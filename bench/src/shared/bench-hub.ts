import type { AddressInfo } from 'node:net';
import { createHub, validateConfig, type CareGraphConfigInput, type Hub } from '@caregraph/core';
import type { HubOptions } from '@caregraph/core';
import { benchKeyProvider } from './bench-keys.js';

/**
 * Starts a CareGraph hub on a bench database as the benchmarks run it: on 127.0.0.1 and a
 * free port, silent, no demo seed, the database's master key, and a rate-limit budget the
 * load never reaches (the limiter still runs), `CAREGRAPH_DATABASE_POOL_MAX` from the
 * environment (default 40). `config` and `options` add to that.
 */
export async function startBenchHub(
  databaseUrl: string,
  config: Partial<CareGraphConfigInput> = {},
  options: Pick<HubOptions, 'authorization' | 'plugins' | 'onQuery'> = {},
): Promise<{ hub: Hub; port: number }> {
  const hubConfig = validateConfig({
    nodeEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    seedDemo: false,
    memory: true,
    databaseUrl,
    rateLimitPoints: 100_000_000,
    // The hub's setting, as `caregraph start` reads it (40 unless set: the benchmarks' writers
    // and readers outnumber the default 10 connections).
    databasePoolMax: Number(process.env.CAREGRAPH_DATABASE_POOL_MAX ?? 40),
    ...config,
  });
  const hub = await createHub({
    config: hubConfig,
    database: { kind: 'postgres', url: databaseUrl, poolMax: hubConfig.databasePoolMax },
    // The generator encrypted the rows with the bench database's master key.
    keyProvider: benchKeyProvider(databaseUrl),
    ...options,
  });
  await hub.start();
  if (!hub.devSigningKey)
    throw new Error('the hub has no dev signing key (nodeEnv must not be production)');
  return { hub, port: (hub.httpServer.address() as AddressInfo).port };
}
