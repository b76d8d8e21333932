/**
 * Issue: "a crash test: a client streams 5,000 messages and resends what was not acknowledged,
 * the hub is killed with SIGKILL mid-stream and restarted, and afterwards every message has been
 * applied exactly once".
 *
 * A real hub process on its own PostgreSQL database takes a feed of ADT^A01/A08 and ORU^R01
 * messages over four pipelining MLLP connections (one of them in enhanced mode, which counts a
 * message as delivered on its commit ACK and never resends it). The hub is SIGKILLed after a
 * random number of ACKs, started again on the same database, and the senders reconnect and
 * resend what they hold unacknowledged. Afterwards every message is in the store once as a
 * processed original, and the records it implies exist exactly once. Several processes on one
 * database: a `*.pg.int.test.ts` suite, PostgreSQL only.
 */
import {
  buildFeed,
  FEED_CODE_SYSTEM,
  feedSender,
  streamFeed,
  type FeedMessage,
  type FeedStats,
} from './testing/crash-feed.js';
import { CrashHub } from './testing/crash-hub.js';
import { until } from './testing/eventually.js';

/** The 5,000; `CAREGRAPH_CRASH_COUNT` measures other sizes locally. */
const COUNT = Number(process.env.CAREGRAPH_CRASH_COUNT ?? 5_000);
const PATIENTS = 500;
const CONNECTIONS = 4;
/** Connection 3 sends in enhanced mode (MSH-15 AL, MSH-16 NE). */
const ENHANCED = new Set([3]);
const WINDOW = 8;
/**
 * A bound, not the expected time. Measured on 2 cores shared with other jobs: the 5,000 messages
 * streamed in 190 s at a load average of ~4 (suite 201 s) and in 373 s at ~12 (suite 400 s); the
 * hub process spends about 25 ms of CPU on a message.
 */
const STREAM_TIMEOUT_MS = 420_000;
const SEED = Number(process.env.CAREGRAPH_CRASH_SEED ?? Date.now() % 100_000);

let crash: CrashHub;

beforeAll(async () => {
  crash = await CrashHub.create();
}, 60_000);

afterAll(async () => {
  await crash?.dispose();
});

/** Polls `check` until it returns true (rejects after `timeoutMs`). */

const count = async (sql: string, params: unknown[] = []) =>
  Number((await crash.sql<{ n: string }>(sql, params))[0]!.n);

describe('the hub SIGKILLed mid-stream and restarted', () => {
  const feed: FeedMessage[] = buildFeed({
    count: COUNT,
    patients: PATIENTS,
    connections: CONNECTIONS,
    enhanced: ENHANCED,
    seed: SEED,
  });
  // After 30 % to 70 % of the ACKs (1,500 to 3,500 of 5,000), chosen by the seed.
  const killAt = Math.floor(COUNT * (0.3 + (((SEED * 7919) % 100_000) / 100_000) * 0.4));
  let stats: FeedStats;
  const atKill = { acks: 0, stored: 0, storedNotApplied: 0, enhancedStoredNotApplied: 0 };
  const timings = { firstBootMs: 0, restartMs: 0, streamMs: 0, recoveryMs: 0 };

  beforeAll(async () => {
    let started = Date.now();
    const first = await crash.start();
    timings.firstBootMs = Date.now() - started;
    expect(first.seeded).toBe(true);

    let restarted: Promise<void> | undefined;
    const restart = async () => {
      await crash.kill();
      atKill.stored = await count(`select count(*) n from hl7_message where original`);
      atKill.storedNotApplied = await count(
        `select count(*) n from hl7_message where original and status = 'received'`,
      );
      // Commit-acknowledged: only the restart recovery applies these (the sender will not resend).
      atKill.enhancedStoredNotApplied = await count(
        `select count(*) n from hl7_message where original and status = 'received' and sender = $1`,
        [`${feedSender(3)}^CRASHHOSP`],
      );
      const booted = Date.now();
      const again = await crash.start();
      timings.restartMs = Date.now() - booted;
      expect(again.seeded).toBe(false);
    };
    started = Date.now();
    stats = await streamFeed(
      crash.mllpPort,
      feed,
      { connections: CONNECTIONS, window: WINDOW, timeoutMs: STREAM_TIMEOUT_MS },
      (acks) => {
        if (acks % 500 === 0) console.log(`${acks} ACKs after ${Date.now() - started} ms`);
        if (acks < killAt || restarted) return;
        atKill.acks = acks;
        restarted = restart();
      },
    );
    await restarted;
    timings.streamMs = Date.now() - started;
    started = Date.now();
    // Enhanced-mode messages stored (CA sent) but not applied at the kill: the recovery sweep.
    await until(
      async () =>
        (await count(
          `select count(*) n from hl7_message where original and status = 'received'`,
        )) === 0,
      'the stored messages to be applied',
      60_000,
    );
    timings.recoveryMs = Date.now() - started;
    // The figures of this run (the kill point is random: CAREGRAPH_CRASH_SEED replays one).
    console.log(
      JSON.stringify({ seed: SEED, killAt, atKill, timings, ...stats, unexpected: undefined }),
    );
  }, STREAM_TIMEOUT_MS + 120_000);

  it('was killed mid-stream with messages in flight, and every message was acknowledged', () => {
    expect(restartedMidStream()).toBe(true);
    expect(stats.unexpected).toEqual([]);
    expect(feed.every((m) => m.ack !== undefined)).toBe(true);
    expect(stats.resends).toBeGreaterThan(0);
  });

  function restartedMidStream() {
    return atKill.acks >= killAt && atKill.acks < COUNT && timings.restartMs > 0;
  }

  it('stores every control id once as a processed original; resends are duplicates of it', async () => {
    const rows = await crash.sql<{
      control_id: string;
      originals: string;
      processed: string;
      duplicates: string;
      other: string;
      wrong_link: string;
    }>(
      `select m.control_id,
              count(*) filter (where m.original) originals,
              count(*) filter (where m.original and m.status = 'processed') processed,
              count(*) filter (where not m.original and m.status = 'duplicate') duplicates,
              count(*) filter (where not m.original and m.status <> 'duplicate') other,
              count(*) filter (where not m.original and o.control_id is distinct from m.control_id) wrong_link
         from hl7_message m left join hl7_message o on o.id = m.duplicate_of
        group by m.control_id`,
    );
    expect(rows).toHaveLength(COUNT);
    const sends = new Map(feed.map((m) => [m.controlId, m.sends]));
    let duplicates = 0;
    for (const row of rows) {
      expect([row.control_id, row.originals, row.processed, row.other, row.wrong_link]).toEqual([
        row.control_id,
        '1',
        '1',
        '0',
        '0',
      ]);
      // A send the hub never read leaves no row: at most one duplicate per resend.
      expect(Number(row.duplicates)).toBeLessThanOrEqual(sends.get(row.control_id)! - 1);
      duplicates += Number(row.duplicates);
    }
    console.log(JSON.stringify({ duplicateRows: duplicates, resends: stats.resends }));
    expect(duplicates).toBeLessThanOrEqual(stats.resends);
  });

  it('answered each original-mode message with the outcome the store holds', async () => {
    const stored = new Map(
      (
        await crash.sql<{ control_id: string; ack: string }>(
          `select control_id, ack from hl7_message where original`,
        )
      ).map((row) => [row.control_id, row.ack]),
    );
    const differing = feed.filter((m) => !m.enhanced && stored.get(m.controlId) !== m.ack);
    expect(differing.map((m) => m.controlId)).toEqual([]);
  });

  it('holds exactly the patients, visits and results the feed implies: nothing doubled or missing', async () => {
    const patients = await count(
      `select count(distinct patient_id) n from patient_identifier where system = $1`,
      ['urn:hl7v2:CRASHHOSP:MR'],
    );
    const visits = await count(
      `select count(*) n from encounter where visit_number like 'CRASH-V%'`,
    );
    const observations = await count(
      `select count(*) n from observation where code->>'system' = $1`,
      [`urn:hl7v2:cs:${FEED_CODE_SYSTEM}`],
    );
    const distinctObservations = await count(
      `select count(distinct (code->>'code', effective_at)) n from observation where code->>'system' = $1`,
      [`urn:hl7v2:cs:${FEED_CODE_SYSTEM}`],
    );
    expect({ patients, visits, observations, distinctObservations }).toEqual({
      patients: PATIENTS,
      visits: feed.filter((m) => m.kind === 'A01').length,
      observations: feed.reduce((sum, m) => sum + m.observations, 0),
      distinctObservations: feed.reduce((sum, m) => sum + m.observations, 0),
    });
  });

  it('applied each message once: its provenance was written by one application', async () => {
    // A second application of a message writes its Provenance again (an ORU's results as
    // updates, an A01's visit as an update), naming the same stored message.
    const rows = await crash.sql<{ control_id: string; target: string; rows: string }>(
      `select m.control_id, split_part(p.target, '/', 1) target, count(*) rows
         from hl7_message m join provenance p on p.source_message_id = m.id::text
        where m.original group by m.control_id, split_part(p.target, '/', 1)`,
    );
    const of = (controlId: string, target: string) =>
      Number(rows.find((r) => r.control_id === controlId && r.target === target)?.rows ?? 0);
    const wrong = feed.filter(
      (m) =>
        of(m.controlId, 'Observation') !== m.observations ||
        of(m.controlId, 'Encounter') !== (m.kind === 'A01' ? 1 : 0),
    );
    expect(wrong.map((m) => m.controlId)).toEqual([]);
    const patientRows = new Set(feed.map((m) => `${m.kind}:${of(m.controlId, 'Patient')}`));
    // Every message of a kind touched its patient the same number of times (once applied).
    expect([...patientRows].filter((key) => key.startsWith('A08:'))).toHaveLength(1);
    expect([...patientRows].filter((key) => key.startsWith('ORU:'))).toHaveLength(1);
  });
});
