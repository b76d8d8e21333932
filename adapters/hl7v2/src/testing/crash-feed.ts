import { parseMessage } from '../message/index.js';
import { MllpClient } from '../mllp/index.js';
import { seededRandom } from './seeded-random.js';

/** One message of the crash feed and what applying it must leave behind. */
export interface FeedMessage {
  index: number;
  controlId: string;
  kind: 'A01' | 'A08' | 'ORU';
  /** 0-based patient number (MRN `CRASH-<n>`). */
  patient: number;
  /** The connection (sender) it goes out on: all of a patient's messages share one, in order. */
  connection: number;
  /** Enhanced mode (MSH-15 AL, MSH-16 NE): the commit ACK is the only answer. */
  enhanced: boolean;
  bytes: Buffer;
  /** A01: the new visit number (PV1-19). */
  visitNumber?: string;
  /** ORU: observations it adds (each with a code and time no other message has). */
  observations: number;
  /** Times it was written to a socket (2 and more: resent). */
  sends: number;
  /** The last ACK it got (the one that counted). */
  ack?: string;
}

/** The local code system of the feed's results (`urn:hl7v2:cs:CRASHLAB`). */
export const FEED_CODE_SYSTEM = 'CRASHLAB';
/** Observations per ORU. */
export const OBSERVATIONS_PER_ORU = 2;
/** The sending application of connection `n` (one sender per connection). */
export const feedSender = (connection: number) => `CRASHFEED${connection}`;

/** `2031-01-01` plus `seconds`, as an HL7 DTM in UTC. */
function dtm(seconds: number): string {
  const iso = new Date(Date.UTC(2031, 0, 1) + seconds * 1000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
}

/** A segment from its numbered fields (`{ 3: 'x' }` is field 3). */
function seg(name: string, fields: Record<number, string>): string {
  const last = Math.max(...Object.keys(fields).map(Number));
  return [name, ...Array.from({ length: last }, (_, i) => fields[i + 1] ?? '')].join('|');
}

function text(m: Omit<FeedMessage, 'bytes' | 'sends'>): string {
  const type = m.kind === 'ORU' ? 'ORU^R01^ORU_R01' : `ADT^${m.kind}^ADT_A01`;
  const at = dtm(m.index);
  const msh = `MSH|^~\\&|${feedSender(m.connection)}|CRASHHOSP|CAREGRAPH|CLINIC|${at}||${type}|${m.controlId}|P|2.5.1${m.enhanced ? '|||AL|NE' : ''}`;
  const pid = seg('PID', {
    1: '1',
    3: `CRASH-${m.patient}^^^CRASHHOSP^MR`,
    5: `CRASHTEST^PATIENT${m.patient}`,
    7: '19700101',
    8: 'F',
    11: '1 MAIN ST^^SPRINGFIELD^IL^62701',
    13: `(555)${String(m.index).padStart(7, '0')}`,
  });
  if (m.kind === 'A01')
    return [
      msh,
      seg('EVN', { 1: 'A01', 2: at }),
      pid,
      seg('PV1', { 1: '1', 2: 'I', 3: 'W1^101^1', 19: m.visitNumber!, 44: at }),
    ].join('\r');
  if (m.kind === 'A08') return [msh, seg('EVN', { 1: 'A08', 2: at }), pid].join('\r');
  const obr = seg('OBR', {
    1: '1',
    2: `ORD${m.index}`,
    3: `FIL${m.index}`,
    4: `PANEL^Crash panel^${FEED_CODE_SYSTEM}`,
    7: at,
    25: 'F',
  });
  const obx = Array.from({ length: OBSERVATIONS_PER_ORU }, (_, j) =>
    seg('OBX', {
      1: String(j + 1),
      2: 'NM',
      3: `C${m.index}-${j}^Crash test value ${j}^${FEED_CODE_SYSTEM}`,
      5: String((m.index % 97) + j),
      6: 'mg/dL',
      11: 'F',
      14: at,
    }),
  );
  return [msh, pid, obr, ...obx].join('\r');
}

/**
 * The feed: `count` messages over `patients` patients, each patient's first message an A01, then
 * A01 (a new visit), A08 (new phone number) and ORU^R01 (new results) at random. Patient `p` goes
 * out on connection `p % connections`; connections in `enhanced` send in enhanced mode.
 */
export function buildFeed(options: {
  count: number;
  patients: number;
  connections: number;
  enhanced: ReadonlySet<number>;
  seed: number;
}): FeedMessage[] {
  const next = seededRandom(options.seed);
  return Array.from({ length: options.count }, (_, index) => {
    const patient = index % options.patients;
    const draw = next();
    const kind: FeedMessage['kind'] =
      index < options.patients || draw < 0.2 ? 'A01' : draw < 0.4 ? 'A08' : 'ORU';
    const connection = patient % options.connections;
    return feedMessage({
      index,
      kind,
      patient,
      connection,
      enhanced: options.enhanced.has(connection),
    });
  });
}

/** One message of the feed (`index` makes its control id, visit number and result codes). */
export function feedMessage(
  m: Pick<FeedMessage, 'index' | 'kind' | 'patient' | 'connection' | 'enhanced'>,
): FeedMessage {
  const full = {
    ...m,
    controlId: `CRASH${String(m.index).padStart(5, '0')}`,
    visitNumber: m.kind === 'A01' ? `CRASH-V${m.index}` : undefined,
    observations: m.kind === 'ORU' ? OBSERVATIONS_PER_ORU : 0,
  };
  return { ...full, bytes: Buffer.from(text(full), 'utf8'), sends: 0 };
}

/** What the senders did, for the assertions and the report. */
export interface FeedStats {
  acks: number;
  resends: number;
  /** Connections opened (one per sender, and again after each failure). */
  connections: number;
  /** ACKs that were not the expected AA (original mode) or CA (enhanced mode). */
  unexpected: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One sender: a connection that pipelines up to `window` messages, keeps every message not
 * acknowledged yet and, when the connection fails, reconnects and resends those (the same
 * bytes, in order) before the rest. Enhanced-mode messages count as acknowledged on their
 * commit ACK (CA): the sender will not send them again.
 */
async function runSender(
  port: number,
  messages: FeedMessage[],
  window: number,
  stats: FeedStats,
  onAck: () => void,
  deadline: number,
): Promise<void> {
  const backlog = [...messages];
  while (backlog.length) {
    if (Date.now() > deadline) throw new Error('the feed did not finish before its deadline');
    let client: MllpClient;
    try {
      client = await MllpClient.connect({ port, connectTimeoutMs: 2_000 });
    } catch {
      await sleep(100);
      continue;
    }
    stats.connections++;
    await new Promise<void>((done) => {
      const outstanding: FeedMessage[] = [];
      let failed = false;
      const pump = () => {
        while (!failed && outstanding.length < window && backlog.length) {
          const m = backlog.shift()!;
          outstanding.push(m);
          if (m.sends++ > 0) stats.resends++;
          client.send(m.bytes, { timeoutMs: 30_000 }).then(
            (ack) => {
              outstanding.shift();
              const parsed = parseMessage(ack);
              const expected = m.enhanced ? 'CA' : 'AA';
              if (parsed.get('MSA-1') !== expected || parsed.get('MSA-2') !== m.controlId)
                stats.unexpected.push(`${m.controlId}: ${ack.toString('latin1')}`);
              m.ack = ack.toString('utf8');
              stats.acks++;
              onAck();
              pump();
            },
            () => {
              if (failed) return;
              failed = true;
              backlog.unshift(...outstanding.splice(0));
              done();
            },
          );
        }
        if (!failed && !outstanding.length && !backlog.length) done();
      };
      pump();
    });
    client.destroy();
  }
}

/**
 * Streams the feed over one connection per sender and resolves when every message is
 * acknowledged. `onAck` sees the running ACK count (the test kills the hub from there).
 */
export async function streamFeed(
  port: number,
  feed: FeedMessage[],
  options: { connections: number; window: number; timeoutMs: number },
  onAck: (acks: number) => void,
): Promise<FeedStats> {
  const stats: FeedStats = { acks: 0, resends: 0, connections: 0, unexpected: [] };
  const deadline = Date.now() + options.timeoutMs;
  await Promise.all(
    Array.from({ length: options.connections }, (_, c) =>
      runSender(
        port,
        feed.filter((m) => m.connection === c),
        options.window,
        stats,
        () => onAck(stats.acks),
        deadline,
      ),
    ),
  );
  return stats;
}
