import { randomUUID } from 'node:crypto';
import {
  databaseUrl,
  dropBenchDatabase,
  insertRows,
  prepareBenchDatabase,
  withClient,
} from '../shared/bench-database.js';
import { createOrm, Keyring } from '@caregraph/core';
import { startBenchHub } from '../shared/bench-hub.js';
import { benchKeyProvider } from '../shared/bench-keys.js';
import { USER_COLUMNS } from '../shared/staff-columns.js';
import { loadHl7Adapter } from './adapter-entry.js';

/**
 * The databases of an hl7-ingest run: one tenant and its integration account (what the adapter
 * acts as), CareGraph's migrations and the hl7v2 plugin's. Each target gets a database of its
 * own, prepared the same way, so each starts from the same empty tenant (a PostgreSQL template
 * copy would not do: a bench database's master key derives from its name).
 */
export interface IngestDatabase {
  name: string;
  url: string;
  tenantId: string;
  integrationUserId: string;
}

/** The hl7v2 registration of a bench hub: MLLP on `port` (`false`: no listener). */
export async function hl7Registration(
  tenantId: string,
  integrationUserId: string,
  port: number | false,
) {
  const { hl7v2 } = await loadHl7Adapter();
  return {
    plugin: hl7v2,
    config: {
      tenantId,
      integrationUserId,
      // Senders keep their connections open for the whole run.
      listen: port === false ? false : { port, idleTimeoutSeconds: 0, maxConnections: 200 },
    },
  };
}

/**
 * Creates a target's database: migrations, the tenant and its integration account, then
 * one boot of a hub with the hl7v2 plugin (no listener) so the plugin's migrations and the job
 * queue's schema exist before the target starts.
 */
export async function prepareIngestDatabase(
  adminUrl: string,
  log: (message: string) => void,
): Promise<IngestDatabase> {
  const tenantId = randomUUID();
  const integrationUserId = randomUUID();
  const name = await prepareBenchDatabase(
    adminUrl,
    async (client) => {
      const now = new Date();
      await insertRows(
        client,
        'tenant',
        ['id', 'slug', 'name', 'created_at'],
        [[tenantId, 'bench-hl7-ingest', 'CareGraph Bench HL7 Ingest', now]],
      );
      await insertRows(client, 'user', USER_COLUMNS, [
        [
          integrationUserId,
          tenantId,
          now,
          now,
          'hl7-feed@bench-hl7-ingest.example',
          'Bench HL7 feed',
          'integration',
          ['integration'],
          true,
          null,
        ],
      ]);
    },
    log,
  );
  const url = databaseUrl(adminUrl, name);
  try {
    // The tenant has no rows to encrypt yet, so the generator made no keys for it: the first
    // message's blind index needs them.
    const keyring = new Keyring(benchKeyProvider(url));
    const orm = await createOrm({ kind: 'postgres', url }, { keyring });
    try {
      await orm.em.fork().transactional((em) => keyring.createTenantKeys(em, tenantId));
    } finally {
      await orm.close();
    }
    const { hub } = await startBenchHub(
      url,
      {},
      { plugins: [await hl7Registration(tenantId, integrationUserId, false)] },
    );
    await hub.stop();
  } catch (error) {
    await dropBenchDatabase(adminUrl, name).catch(() => {});
    throw error;
  }
  return { name, url, tenantId, integrationUserId };
}

/** What a target wrote, from PostgreSQL's statistics of its database (no extension needed). */
export interface DatabaseCounters {
  commits: number;
  inserted: number;
  updated: number;
}

/** The database's transaction and row counters (`pg_stat_database`), after a stats flush. */
export async function databaseCounters(url: string): Promise<DatabaseCounters> {
  return withClient(url, async (client) => {
    // Backends report their counters at most once a second (PostgreSQL 15).
    await new Promise((done) => setTimeout(done, 1_200));
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ c: string; i: string; u: string }>(
      `select xact_commit as c, tup_inserted as i, tup_updated as u
         from pg_stat_database where datname = current_database()`,
    );
    return {
      commits: Number(rows[0]!.c),
      inserted: Number(rows[0]!.i),
      updated: Number(rows[0]!.u),
    };
  });
}
