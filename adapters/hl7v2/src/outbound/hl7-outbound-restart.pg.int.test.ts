/**
 * The outbound queue across a restart of the hub. An SIU^S12 booked over MLLP makes the hub
 * queue an outbound SIU for a destination that is down; the hub process stops (SIGTERM, then in
 * the second case SIGKILL) while the message waits for its next attempt, starts again on the same
 * PostgreSQL database, the destination comes up, and the message is delivered exactly once: the
 * receiver gets its control id once and the row is `acknowledged`. PostgreSQL only (a hub process
 * and the test share the database).
 */
import { parseMessage } from '../message/index.js';
import { msh, seg, message } from '../mappings/fixtures/messages.js';
import { MllpClient } from '../mllp/index.js';
import { CrashHub } from '../testing/crash-hub.js';
import { DownstreamReceiver } from '../testing/downstream-receiver.js';
import { freePort } from '../testing/hl7-test-hub.js';
import { waitFor } from '../testing/eventually.js';

interface OutboundRow extends Record<string, unknown> {
  id: string;
  control_id: string;
  status: string;
  attempts: number;
  record: string;
  last_error_code: string | null;
}

let crash: CrashHub;
let ris: DownstreamReceiver;

beforeAll(async () => {
  ris = DownstreamReceiver.down(await freePort());
  crash = await CrashHub.create({
    facility: 'CLINIC',
    outbound: [
      {
        name: 'ris',
        host: '127.0.0.1',
        port: ris.port,
        ackTimeoutSeconds: 2,
        maxAttempts: 50,
        receivingApplication: 'RIS',
      },
    ],
  });
  await crash.start();
}, 120_000);

afterAll(async () => {
  await crash?.dispose();
  await ris?.close();
});

const outboundRows = () =>
  crash.sql<OutboundRow>(
    `select id, control_id, status, attempts, record, last_error_code from hl7_outbound_message
     where destination = 'ris' order by created_at, id`,
  );

/** Books appointment `n` over MLLP (SIU^S12, AA) and returns the outbound row it queued. */
async function bookOverMllp(n: number): Promise<OutboundRow> {
  const before = new Set((await outboundRows()).map((row) => row.id));
  const booking = message(
    msh('SIU^S12^SIU_S12', { 3: 'SCHED', 4: 'CLINIC', 10: `RESTART-SIU-${n}` }),
    seg('SCH', {
      1: `PL-R${n}^EPIC`,
      2: `FL-R${n}^SCHED`,
      7: 'FU^Follow-up visit',
      9: '30',
      10: 'MIN',
      11: `^^^2031010${n}093000+0000^2031010${n}100000+0000`,
      25: 'Booked',
    }),
    seg('PID', {
      1: '1',
      3: `RESTART-${n}^^^GENHOSP^MR`,
      5: 'RESTART^RITA',
      7: '19800215',
      8: 'F',
    }),
    seg('RGS', { 1: '1' }),
  );
  const client = await MllpClient.connect({ port: crash.mllpPort });
  try {
    const ack = parseMessage(await client.send(booking, { timeoutMs: 20_000 }));
    expect(ack.get('MSA-1')).toBe('AA');
  } finally {
    await client.close();
  }
  return waitFor('the outbound SIU to be queued', async () =>
    (await outboundRows()).find((row) => !before.has(row.id)),
  );
}

/**
 * Waits until the message failed at least once against the down destination and waits for its
 * next attempt (not `sent`: a hub that stops mid-attempt leaves a lease to run out first).
 */
async function waitingForRetry(row: OutboundRow): Promise<OutboundRow> {
  return waitFor('a failed attempt and a retry time', async () => {
    const [found] = await crash.sql<OutboundRow>(
      `select id, control_id, status, attempts, record, last_error_code from hl7_outbound_message
       where id = $1 and status = 'queued' and attempts >= 1
         and next_attempt_at > now() + interval '500 milliseconds'`,
      [row.id],
    );
    return found;
  });
}

/** After the restart: the row is acknowledged and the receiver got its control id once. */
async function deliveredOnce(row: OutboundRow): Promise<void> {
  const done = await waitFor('the message to be acknowledged', async () => {
    const [found] = await crash.sql<OutboundRow & { ack_code: string | null }>(
      `select id, control_id, status, attempts, record, last_error_code, ack_code
       from hl7_outbound_message where id = $1`,
      [row.id],
    );
    return found?.status === 'acknowledged' ? found : undefined;
  });
  expect(done).toMatchObject({ control_id: row.control_id, ack_code: 'AA' });
  const copies = () => ris.received.filter((m) => m.header.controlId === row.control_id);
  expect(copies()).toHaveLength(1);
  const appointmentId = row.record.split('/')[1];
  expect(ris.about(appointmentId!)).toHaveLength(1);
  // Nothing else of the queue still goes out (a second worker, a stale job): still once.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(copies()).toHaveLength(1);
  expect(
    (await outboundRows()).filter((other) => other.record === row.record).map((r) => r.status),
  ).toEqual(['acknowledged']);
}

it('delivers a message queued for a down destination exactly once after a graceful restart', async () => {
  const row = await bookOverMllp(1);
  const waiting = await waitingForRetry(row);
  expect(waiting.last_error_code).toBe('CG_ERR_MLLP_CONNECT_FAILED');

  await crash.stop();
  const [stopped] = await crash.sql<OutboundRow>(
    `select status from hl7_outbound_message where id = $1`,
    [row.id],
  );
  expect(stopped!.status).toBe('queued');
  await crash.start();
  await ris.listen();
  await deliveredOnce(row);
  await ris.close();
}, 180_000);

it('delivers a message queued for a down destination exactly once after the hub is SIGKILLed', async () => {
  const row = await bookOverMllp(2);
  await waitingForRetry(row);

  await crash.kill();
  await crash.start();
  await ris.listen();
  await deliveredOnce(row);
}, 180_000);
