import { parseArgs } from 'node:util';
import { adminUrlFrom, releaseBenchDatabase } from '../shared/bench-database.js';
import {
  requestChild,
  runIfMain,
  runThenCleanUp,
  stopBenchChild,
  type BenchChild,
} from '../shared/child-process.js';
import { loadHl7Adapter } from './adapter-entry.js';
import { prepareIngestDatabase, type IngestDatabase } from './database.js';
import { freePort } from './load.js';
import { forkIngestHub } from './targets.js';
import { MessageStream, type MessageCase } from './messages.js';
import type { HubReady } from './hub-process.js';

/**
 * Prints the SQL statements the hub sends for one message of each kind (what the raw SQL
 * baseline of hl7-ingest replicates): sends `--messages` generated messages one at a time over
 * one MLLP connection to a hub that logs its queries, and prints, per kind (ADT^A01 of a new
 * patient, ADT^A08, ORU^R01 of a known patient…), the statements of its first message and the
 * mean count (`--raw`: the statements with their values, as MikroORM logs them).
 * `node bench/dist/hl7-ingest/trace-sql.js [--messages 300] [--raw] [--database-url URL]`.
 */

const log = (message: string) => process.stderr.write(`${message}\n`);

/** A statement with its literals replaced, so statements of one shape compare equal. */
export function statementShape(sql: string): string {
  return sql
    .replace(/\[took [^\]]*\]/g, '')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The bucket of a case: its type, and whether its patient was seen before. */
function bucketOf(c: MessageCase, seen: Set<number>): string {
  const known = seen.has(c.patient.index);
  seen.add(c.patient.index);
  return `${c.kind}${c.kind === 'ORU^R01' ? ` (${c.results.length} OBX)` : ''} ${known ? 'known' : 'new'} patient`;
}

async function trace(db: IngestDatabase, messages: number, raw: boolean): Promise<void> {
  const port = await freePort();
  const hub: BenchChild<HubReady> = await forkIngestHub(
    db,
    port,
    ['--experimental-async-context-frame'],
    ['--trace-sql'],
  );
  try {
    const { MllpClient, parseMessage } = await loadHl7Adapter();
    const client = await MllpClient.connect({ port });
    const stream = new MessageStream({ adtShare: 0.5, patients: 50, seed: 7 });
    const seen = new Set<number>();
    const buckets = new Map<string, { first: string[]; total: number; n: number }>();
    await requestChild(hub, 'sql');
    for (let i = 0; i < messages; i++) {
      const { case: c, text } = stream.next();
      const bucket = bucketOf(c, seen);
      const ack = parseMessage(await client.send(text, { timeoutMs: 30_000 }));
      if (ack.get('MSA-1') !== 'AA')
        throw new Error(`${c.controlId} (${c.kind}) was answered ${ack.get('MSA-1')}`);
      const sql = await requestChild<string[]>(hub, 'sql');
      const entry = buckets.get(bucket) ?? { first: sql, total: 0, n: 0 };
      entry.total += sql.length;
      entry.n += 1;
      buckets.set(bucket, entry);
    }
    await client.close();
    for (const [bucket, { first, total, n }] of [...buckets].sort()) {
      process.stdout.write(
        `\n## ${bucket}: ${n} messages, ${(total / n).toFixed(1)} statements each\n`,
      );
      for (const sql of first)
        process.stdout.write(`  ${raw ? sql : statementShape(sql).slice(0, 240)}\n`);
    }
  } finally {
    await stopBenchChild(hub);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      messages: { type: 'string', default: '300' },
      raw: { type: 'boolean', default: false },
    },
  });
  const adminUrl = adminUrlFrom(values['database-url']);
  const db = await prepareIngestDatabase(adminUrl, log);
  await runThenCleanUp(
    async () => {
      await trace(db, Number(values.messages), values.raw);
      return true;
    },
    () => releaseBenchDatabase(adminUrl, db.name, false, log),
  );
}

runIfMain(import.meta.url, main);
