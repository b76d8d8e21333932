import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createOrm, encryptPlaintextRows, Keyring, migrateDatabase } from '@caregraph/core';
import { benchKeyProvider } from './bench-keys.js';

/** Admin connection used when neither `--database-url` nor the env variable is set. */
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The admin URL from `--database-url`, CAREGRAPH_BENCH_DATABASE_URL, or the default. */
export function adminUrlFrom(flag: string | undefined): string {
  return flag ?? process.env.CAREGRAPH_BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL;
}

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` with a connected client of `url`, closing it afterwards. */
export async function withClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database `cg_bench_<random>` and returns its name. */
export async function createBenchDatabase(adminUrl: string): Promise<string> {
  const name = `cg_bench_${randomBytes(5).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`create database "${name}"`));
  return name;
}

/** Drops a benchmark database (only names this module makes). */
export async function dropBenchDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^cg_bench_[0-9a-f]+$/.test(name))
    throw new Error(`refusing to drop ${name}: not a benchmark database`);
  await withClient(adminUrl, (client) =>
    client.query(`drop database if exists "${name}" with (force)`),
  );
}

/** At the end of a run: drops its database, or says how to reuse it when it is kept. */
export async function releaseBenchDatabase(
  adminUrl: string,
  name: string,
  keep: boolean,
  log: (message: string) => void,
): Promise<void> {
  if (keep) log(`kept database ${name} (rerun with --reuse ${name})`);
  else await dropBenchDatabase(adminUrl, name);
}

/** Inserts rows with one parameterised multi-row `insert`. */
export async function insertRows(
  client: pg.Client,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const params: unknown[] = [];
  const tuples = rows.map(
    (row) => `(${row.map((value) => (params.push(value), `$${params.length}`)).join(', ')})`,
  );
  await client.query(
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`,
    params,
  );
}

/** Inserts many rows in statements of at most `chunk` rows (PostgreSQL allows 65,535 parameters). */
export async function insertRowsChunked(
  client: pg.Client,
  table: string,
  columns: string[],
  rows: unknown[][],
  chunk = Math.floor(60_000 / columns.length),
): Promise<void> {
  for (let from = 0; from < rows.length; from += chunk)
    await insertRows(client, table, columns, rows.slice(from, from + chunk));
}

/**
 * Creates a fresh database, applies CareGraph's migrations, lets `fill` bulk-load it as the
 * admin user (plaintext rows, `synchronous_commit` off), encrypts the sensitive fields as a
 * hub's first boot would and analyzes it. Drops the database if anything fails; returns its name.
 */
export async function prepareBenchDatabase(
  adminUrl: string,
  fill: (client: pg.Client, name: string) => Promise<void>,
  log: (message: string) => void = () => {},
): Promise<string> {
  const started = Date.now();
  const name = await createBenchDatabase(adminUrl);
  const url = databaseUrl(adminUrl, name);
  try {
    const orm = await createOrm({ kind: 'postgres', url });
    try {
      await migrateDatabase(orm);
    } finally {
      await orm.close();
    }
    await withClient(url, async (client) => {
      await client.query(`set synchronous_commit = off`);
      await fill(client, name);
    });
    const keyring = new Keyring(benchKeyProvider(url));
    const encrypting = await createOrm({ kind: 'postgres', url }, { keyring });
    try {
      await encryptPlaintextRows(encrypting, keyring, 5_000);
    } finally {
      await encrypting.close();
    }
    log(`  encrypted sensitive fields (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    await withClient(url, (client) => client.query('analyze'));
  } catch (error) {
    await dropBenchDatabase(adminUrl, name).catch(() => {});
    throw error;
  }
  log(`generated ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return name;
}
