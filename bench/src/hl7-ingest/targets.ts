import {
  childCpuMicros,
  forkBenchChild,
  stopBenchChild,
  type BenchChild,
} from '../shared/child-process.js';
import { loadHl7Adapter, type MllpConnection } from './adapter-entry.js';
import { databaseCounters, type DatabaseCounters, type IngestDatabase } from './database.js';
import type { HubReady } from './hub-process.js';
import { driveLanes, freePort, type DriveResult, type Outcome } from './load.js';
import { MessageStream, type GeneratedMessage, type MessageStreamOptions } from './messages.js';
import { RawSqlLane } from './raw-sql.js';
import { GroupCommitter } from './raw-sql-grouped.js';

/**
 * The two database targets of hl7-ingest, each measured the same way: `connections` lanes with
 * one message in flight each, a warm-up, then the measured window, with the server's CPU read
 * at the window's edges and the database's counters around the whole drive.
 */

/** Options shared by the targets. */
export interface TargetOptions {
  connections: number;
  /** Hub processes on the one database (instances of one deployment); lanes take turns. */
  hubInstances: number;
  warmup: number;
  duration: number;
  stream: MessageStreamOptions;
  profileDir?: string;
  log(message: string): void;
}

/** What a target measured. */
export interface IngestResult extends DriveResult {
  /** CPU time in the window (ms) of the hub process, or of the raw SQL client (this process). */
  serverCpuMs?: number;
  /** Database counters over the whole drive (warm-up included: divide by `issued`). */
  database: DatabaseCounters;
}

const ACK_CODE = /\rMSA\|([^|\r]*)/;

/** Reads MSA-1 (and, for a NAK, its text) from an ACK. */
function outcomeOf(ack: Buffer, parse: (b: Buffer) => { get(p: string): unknown }): Outcome {
  const text = ack.toString('latin1');
  const code = ACK_CODE.exec(text)?.[1];
  if (code === 'AA') return { ok: true };
  const detail = (() => {
    try {
      const parsed = parse(ack);
      return String(parsed.get('ERR-3.2') ?? parsed.get('MSA-3') ?? parsed.get('ERR-8') ?? '');
    } catch {
      return 'unparseable ACK';
    }
  })();
  return { ok: false, reason: `${code ?? 'no MSA'}${detail ? `: ${detail}` : ''}` };
}

const diff = (a: DatabaseCounters, b: DatabaseCounters): DatabaseCounters => ({
  commits: b.commits - a.commits,
  inserted: b.inserted - a.inserted,
  updated: b.updated - a.updated,
});

/** Reads a counter when the window starts (after the warm-up). */
function atWindowStart<T>(seconds: number, read: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) =>
    setTimeout(() => read().then(resolve, reject), seconds * 1000),
  );
}

/** Sends the stream's primer one message at a time; any message not AA stops the run. */
async function prime(
  stream: MessageStream,
  send: (message: GeneratedMessage) => Promise<Outcome>,
): Promise<void> {
  for (const message of stream.primer()) {
    const outcome = await send(message);
    if (!outcome.ok) throw new Error(`primer ${message.case.controlId}: ${outcome.reason}`);
  }
}

/**
 * CareGraph: `hubInstances` hub children with the hl7v2 plugin on one database (as several
 * instances of a deployment behind a TCP load balancer), `connections` MLLP senders spread over
 * them in turn.
 */
export async function measureCareGraph(
  db: IngestDatabase,
  options: TargetOptions,
): Promise<IngestResult> {
  const hubs: { hub: BenchChild<HubReady>; port: number }[] = [];
  const { MllpClient, parseMessage } = await loadHl7Adapter();
  const clients: MllpConnection[] = [];
  try {
    for (let i = 0; i < options.hubInstances; i++) {
      const port = await freePort();
      const execArgv = ['--experimental-async-context-frame', '--max-semi-space-size=64'];
      if (options.profileDir)
        execArgv.push(
          '--cpu-prof',
          `--cpu-prof-dir=${options.profileDir}`,
          `--cpu-prof-name=caregraph-hl7-${Date.now()}-${i}.cpuprofile`,
        );
      hubs.push({ hub: await forkIngestHub(db, port, execArgv), port });
    }
    const connect = (lane: number) => MllpClient.connect({ port: hubs[lane % hubs.length]!.port });
    for (let i = 0; i < options.connections; i++) clients.push(await connect(i));
    const stream = new MessageStream(options.stream);
    await prime(stream, async (m) =>
      outcomeOf(await clients[0]!.send(m.text, { timeoutMs: 30_000 }), parseMessage),
    );
    const counters = await databaseCounters(db.url);
    const hubsCpu = async () => {
      let total = 0;
      for (const { hub } of hubs) total += await childCpuMicros(hub);
      return total;
    };
    const cpuAtWindow = atWindowStart(options.warmup, hubsCpu);
    options.log(
      `caregraph: ${options.connections} MLLP connections to ${hubs.length} hub instance${hubs.length > 1 ? 's' : ''}, ${options.warmup} s warm-up, ${options.duration} s measured`,
    );
    const result = await driveLanes({
      lanes: options.connections,
      warmupSeconds: options.warmup,
      seconds: options.duration,
      next: () => stream.next(),
      work: async (lane, message) => {
        try {
          return outcomeOf(
            await clients[lane]!.send(message.text, { timeoutMs: 30_000 }),
            parseMessage,
          );
        } catch (error) {
          // The hub closes a connection whose message it could not store: reconnect.
          clients[lane]!.destroy();
          clients[lane] = await connect(lane);
          throw error;
        }
      },
    });
    const serverCpuMs = ((await hubsCpu()) - (await cpuAtWindow)) / 1000;
    return { ...result, serverCpuMs, database: diff(counters, await databaseCounters(db.url)) };
  } finally {
    await Promise.all(clients.map((c) => c.close({ timeoutMs: 2_000 }).catch(() => c.destroy())));
    for (const { hub } of hubs) await stopBenchChild(hub);
  }
}

/** The raw SQL ceiling: the hub's statements per message through `pg`, one connection per lane. */
export async function measureRawSql(
  db: IngestDatabase,
  options: TargetOptions,
  /** Group commit instead (`GroupCommitter`): this many pg connections, groups of at most `maxGroup`. */
  grouped?: { connections: number; maxGroup: number },
): Promise<IngestResult> {
  const lanes: RawSqlLane[] = [];
  try {
    for (let i = 0; i < (grouped?.connections ?? options.connections); i++)
      lanes.push(await RawSqlLane.open(db.url, db.tenantId, db.integrationUserId));
    const stream = new MessageStream(options.stream);
    await prime(stream, (m) => lanes[0]!.ingest(m.case, m.text));
    const counters = await databaseCounters(db.url);
    const ownCpu = () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    };
    const cpuAtWindow = atWindowStart(options.warmup, async () => ownCpu());
    const committer = grouped && new GroupCommitter(lanes, grouped.maxGroup);
    options.log(
      grouped
        ? `raw SQL, group commit: ${options.connections} senders, ${grouped.connections} pg connections, at most ${grouped.maxGroup} messages per transaction, ${options.warmup} s warm-up, ${options.duration} s measured`
        : `raw SQL: ${options.connections} pg connections, ${options.warmup} s warm-up, ${options.duration} s measured`,
    );
    const result = await driveLanes({
      lanes: options.connections,
      warmupSeconds: options.warmup,
      seconds: options.duration,
      next: () => stream.next(),
      work: (lane, message) =>
        committer
          ? committer.ingest(message.case, message.text)
          : lanes[lane]!.ingest(message.case, message.text),
    });
    // This process is the pg client of the baseline: its CPU is what the statements cost a client.
    const serverCpuMs = (ownCpu() - (await cpuAtWindow)) / 1000;
    return { ...result, serverCpuMs, database: diff(counters, await databaseCounters(db.url)) };
  } finally {
    await Promise.all(lanes.map((lane) => lane.close().catch(() => {})));
  }
}

/** Starts the hub child (`hub-process.ts`) on `db` with the adapter listening on `port`. */
export function forkIngestHub(
  db: IngestDatabase,
  port: number,
  execArgv: string[],
  extraArgs: string[] = [],
): Promise<BenchChild<HubReady>> {
  return forkBenchChild<HubReady>(
    'caregraph',
    new URL('./hub-process.js', import.meta.url),
    [
      '--database-url',
      db.url,
      '--tenant',
      db.tenantId,
      '--integration-user',
      db.integrationUserId,
      '--port',
      String(port),
      ...extraArgs,
    ],
    execArgv,
  );
}
