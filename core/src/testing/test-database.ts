import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../db/create-orm.js';

/** A database made for one test suite, dropped by `dispose`. */
export interface TestDatabase {
  target: DatabaseTarget;
  /** Where a suite can connect with its own client (PostgreSQL only). */
  url?: string;
  dispose(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * In-memory PGlite by default; with CAREGRAPH_TEST_DATABASE_URL, a fresh PostgreSQL database
 * created for this suite (never touching what other suites made) and dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.CAREGRAPH_TEST_DATABASE_URL;
  if (!serverUrl) return { target: { kind: 'pglite-memory' }, dispose: async () => {} };
  const name = `cg_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  return {
    target: { kind: 'postgres', url },
    url,
    async dispose() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
