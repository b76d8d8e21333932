/**
 * The restart recovery of messages stored but not applied. An enhanced-mode sender (MSH-15 AL)
 * gets its commit ACK (CA) once the message is stored, and will not send it again; when the hub
 * dies before applying it, the adapter applies it when it starts again. The crash is made
 * deterministic here: the test holds a lock on the patient's row, so the application waits
 * while the message is stored and acknowledged, and the hub is SIGKILLed in that window.
 * PostgreSQL only (a hub process and the test share the database).
 */
import pg from 'pg';
import { MllpClient } from './mllp/index.js';
import { parseMessage } from './message/index.js';
import { FEED_CODE_SYSTEM, feedMessage, OBSERVATIONS_PER_ORU } from './testing/crash-feed.js';
import { CrashHub } from './testing/crash-hub.js';
import { until } from './testing/eventually.js';

let crash: CrashHub;

beforeAll(async () => {
  crash = await CrashHub.create();
  await crash.start();
}, 120_000);

afterAll(async () => {
  await crash?.dispose();
});

const statusOf = async (controlId: string) =>
  (
    await crash.sql<{ status: string }>(
      `select status from hl7_message where original and control_id = $1`,
      [controlId],
    )
  )[0]?.status;

it('applies, on restart, a message that was stored and commit-acknowledged but not applied', async () => {
  const client = await MllpClient.connect({ port: crash.mllpPort });
  const admit = feedMessage({
    index: 1,
    kind: 'A01',
    patient: 9001,
    connection: 0,
    enhanced: false,
  });
  expect(parseMessage(await client.send(admit.bytes)).get('MSA-1')).toBe('AA');
  const [{ patient_id: patientId }] = await crash.sql<{ patient_id: string }>(
    `select patient_id from patient_identifier where system = 'urn:hl7v2:CRASHHOSP:MR'`,
  );

  // The test holds the patient's row: the result is stored (CA) and its application waits.
  const blocker = new pg.Client({ connectionString: crash.database.url });
  await blocker.connect();
  await blocker.query('begin');
  await blocker.query('select id from patient where id = $1 for update', [patientId]);
  const result = feedMessage({
    index: 2,
    kind: 'ORU',
    patient: 9001,
    connection: 0,
    enhanced: true,
  });
  const commitAck = parseMessage(await client.send(result.bytes));
  expect([commitAck.get('MSA-1'), commitAck.get('MSA-2')]).toEqual(['CA', result.controlId]);
  await until(
    async () =>
      Number(
        (
          await crash.sql<{ n: string }>(
            `select count(*) n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          )
        )[0]!.n,
      ) > 0,
    'the application to wait for the patient lock',
    30_000,
  );

  await crash.kill();
  client.destroy();
  await blocker.query('rollback');
  await blocker.end();
  expect(await statusOf(result.controlId)).toBe('received');

  // The sender had its CA: it does not resend. The restarted adapter applies the message.
  await crash.start();
  await until(
    async () => (await statusOf(result.controlId)) === 'processed',
    'the recovery',
    30_000,
  );
  const observations = await crash.sql<{ n: string }>(
    `select count(*) n from observation where code->>'system' = $1 and patient_id = $2`,
    [`urn:hl7v2:cs:${FEED_CODE_SYSTEM}`, patientId],
  );
  expect(Number(observations[0]!.n)).toBe(OBSERVATIONS_PER_ORU);
  // MSH-16 NE: the sender asked for no application ACK, so none is owed to it.
  const [owed] = await crash.sql<{ application_ack_delivery: string | null }>(
    `select application_ack_delivery from hl7_message where original and control_id = $1`,
    [result.controlId],
  );
  expect(owed!.application_ack_delivery).toBeNull();
}, 120_000);
