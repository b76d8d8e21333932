import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../db/create-orm.js';
import { readPgliteImage } from './pglite-image.js';

/** A database made for one test suite, dropped by `dispose`. */
export interface TestDatabase {
  /** Where the hub connects: on PostgreSQL as an ordinary role, bound by row-level security. */
  target: DatabaseTarget;
  /**
   * Where a suite can connect with its own client to inspect or tamper with rows (PostgreSQL
   * only): the server's admin role, which row-level security does not restrict.
   */
  url?: string;
  /** The ordinary role the hub connects as (PostgreSQL only). */
  hubRole?: string;
  dispose(): Promise<void>;
}

function withDatabase(url: string, database: string, user?: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (user) {
    parsed.username = user;
    parsed.password = '';
  }
  return parsed.toString();
}

async function asAdmin(serverUrl: string, statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * In-memory PGlite by default (started from the run's migrated image when there is one); with CAREGRAPH_TEST_DATABASE_URL, a fresh PostgreSQL database
 * created for this suite (never touching what other suites made) and dropped afterwards. The
 * database belongs to a role made for it (no superuser, no BYPASSRLS, as in production), so
 * every suite runs the hub under row-level security. (The server must let that role log in
 * without a password, as the CI server does with trust authentication.)
 */
export async function createTestDatabase(
  options: {
    /** An empty PGlite cluster even when the run has a migrated image (migration suites). */
    empty?: boolean;
  } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.CAREGRAPH_TEST_DATABASE_URL;
  if (!serverUrl) {
    const image = options.empty ? undefined : await readPgliteImage();
    return { target: { kind: 'pglite-memory', image }, dispose: async () => {} };
  }
  const name = `cg_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const hubRole = `${name}_hub`;
  await asAdmin(serverUrl, [
    `create role "${hubRole}" login nosuperuser nocreatedb nocreaterole nobypassrls`,
    `create database "${name}" owner "${hubRole}"`,
  ]);
  return {
    target: { kind: 'postgres', url: withDatabase(serverUrl, name, hubRole) },
    url: withDatabase(serverUrl, name),
    hubRole,
    async dispose() {
      await asAdmin(serverUrl, [
        `drop database if exists "${name}" with (force)`,
        `drop role if exists "${hubRole}"`,
      ]);
    },
  };
}
