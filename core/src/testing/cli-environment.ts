import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliEnvironment, CliEnvironmentOptions } from '@caregraph/plugin-sdk/testing';
import { runCli } from './hub-process.js';
import { createTestDatabase } from './test-database.js';

/**
 * A database of its own for child-process runs of the built CLI: a fresh PostgreSQL database
 * when CAREGRAPH_TEST_DATABASE_URL is set (the hub's role, bound by row-level security), else a
 * PGlite data directory (in-memory PGlite cannot be shared with another process).
 */
export async function createCliEnvironment(
  options: CliEnvironmentOptions = {},
): Promise<CliEnvironment> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-cli-env-'));
  const database = process.env.CAREGRAPH_TEST_DATABASE_URL ? await createTestDatabase() : undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    CAREGRAPH_LOG_LEVEL: 'warn',
    CAREGRAPH_DATA_DIR: join(dir, 'data'),
    ...(options.configFile ? { CAREGRAPH_CONFIG: options.configFile } : {}),
    ...(database?.target.kind === 'postgres'
      ? { CAREGRAPH_DATABASE_URL: database.target.url }
      : {}),
  };
  return {
    env,
    run: (args, extraEnv = {}) => runCli([...args], { ...env, ...extraEnv }),
    async dispose() {
      await database?.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
