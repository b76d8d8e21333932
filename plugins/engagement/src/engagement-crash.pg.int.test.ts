/**
 * Issue 6: "a crash between scheduling and sending that still yields exactly one message".
 *
 * A real hub process with the engagement plugin, on its own PostgreSQL database, sends its
 * reminders by email to a real SMTP server started here. The hub is SIGKILLed at the points
 * where a crash matters (planned but not sent; a send in flight; at a random point of a batch;
 * after the server accepted a message and before the hub recorded it) and started again on the
 * same data; afterwards each (appointment, offset) has reached the server exactly once (by its
 * Message-ID, which is derived from the idempotency key) and the queue rows and Communications
 * agree. The at-least-once window (accepted, not yet recorded) is shown as it is: the message
 * arrives twice with one Message-ID. Several processes on one database: a `*.pg.int.test.ts`
 * suite, PostgreSQL only.
 */
import { readFileSync } from 'node:fs';
import { Role } from '@caregraph/schema';
import { until } from '@caregraph/core/testing';
import { messageIdFor } from './channels/index.js';
import { CrashHub, killCrashHubProcesses } from './testing/crash-hub.js';
import { startSmtpServer, type Received, type SmtpPeer } from './testing/smtp-peer.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LEASE_SECONDS = 10;
const MAX_ATTEMPTS = 3;
const FROM_DOMAIN = 'clinic.example';
/** The default rules plan these for a visit 2 to 7 days ahead (the 7-day reminder has passed). */
const TRIGGERS = ['PT48H', 'PT24H', 'PT2H'] as const;
/** Appointments of one scenario are this far apart (one practitioner, no overlap). */
const SLOT = 2 * MINUTE;
const SEED = Number(process.env.CAREGRAPH_CRASH_SEED ?? Date.now() % 100_000);

let crash: CrashHub;
let smtp: SmtpPeer;
let practitionerId: string;
/** How the SMTP peer answers the next message (default: accept at once). */
let onMessage: ((message: Received) => Promise<void> | void) | undefined;
/** Every DATA the peer was sent, accepted or not. */
let dataReceived = 0;

beforeAll(async () => {
  smtp = await startSmtpServer(
    {},
    {
      accept: (message) => {
        dataReceived += 1;
        return onMessage?.(message);
      },
    },
  );
  crash = await CrashHub.create({
    defaultTimeZone: 'UTC',
    // Sending hours are not what this suite is about: any hour may send.
    sendingWindow: { start: '00:00', end: '24:00' },
    channels: {
      email: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        from: `Crash Clinic <noreply@${FROM_DOMAIN}>`,
      },
    },
    dispatch: { pollMs: 50, batchSize: 100, leaseSeconds: LEASE_SECONDS, maxAttempts: MAX_ATTEMPTS },
  });
  const first = await crash.start();
  expect(first.seeded).toBe(true);
  const [practitioner] = await crash.sql<{ id: string }>(
    `select id from practitioner where tenant_id = $1 order by id limit 1`,
    [crash.tenantId],
  );
  practitionerId = practitioner!.id;
}, 90_000);

afterAll(async () => {
  await killCrashHubProcesses();
  await crash?.dispose();
  await smtp?.close();
});

interface Row extends Record<string, unknown> {
  id: string;
  idempotency_key: string;
  about: string;
  trigger: string;
  status: string;
  attempts: number;
  reason_code: string | null;
  communication_id: string | null;
  lease_until: Date | null;
}

/** The queue rows of these appointments. */
const rowsOf = (appointmentIds: string[]) =>
  crash.sql<Row>(
    `select id, idempotency_key, about, trigger, status, attempts, reason_code, communication_id,
            lease_until
       from engagement_scheduled_message where about = any($1) order by due_at, id`,
    [appointmentIds.map((id) => `Appointment/${id}`)],
  );

const CREATE_PATIENT = `mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }`;
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`;

/** A scenario's appointments: one new patient each, `SLOT` apart from `start`. */
interface Visits {
  appointmentIds: string[];
  /** The last one's start: the stages' clock is set from it. */
  lastStart: Date;
}

/**
 * Books `count` appointments at 03:00 UTC on the third day after the scheduler's now (no seeded
 * visit is at that hour), each for a new patient with an email address (the frequency caps count
 * per recipient), and waits until their reminders are planned.
 */
async function bookVisits(count: number, label: string): Promise<Visits> {
  const first = new Date(crash.now().getTime() + 3 * DAY);
  first.setUTCHours(3, 0, 0, 0);
  const appointmentIds: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const patient = await crash.graphql<{ createPatient: { id: string } }>(
      CREATE_PATIENT,
      {
        input: {
          names: [{ family: `Crash${label}`, given: [`P${i}`] }],
          telecom: [{ system: 'EMAIL', value: `crash-${label}-${i}@mail.example` }],
        },
      },
      Role.FRONT_DESK,
    );
    expect(patient.errors).toBeUndefined();
    const start = new Date(first.getTime() + i * SLOT);
    const booked = await crash.graphql<{ bookAppointment: { id: string } }>(
      BOOK,
      {
        input: {
          patientId: patient.data!.createPatient.id,
          practitionerId,
          start: start.toISOString(),
          end: new Date(start.getTime() + SLOT).toISOString(),
        },
      },
      Role.FRONT_DESK,
    );
    expect(booked.errors).toBeUndefined();
    appointmentIds.push(booked.data!.bookAppointment.id);
  }
  await until(
    async () => (await rowsOf(appointmentIds)).length === count * TRIGGERS.length,
    `the reminders of ${label} to be planned`,
    30_000,
  );
  return { appointmentIds, lastStart: new Date(first.getTime() + (count - 1) * SLOT) };
}

/**
 * The two clock stages that make every reminder of `visits` due within the email caps (two a
 * local day): a minute after the last visit's 24-hour reminder (the 48- and 24-hour ones of all
 * are due), then a minute after its 2-hour one (the next day; every visit is still ahead).
 */
const stage1 = (visits: Visits) => new Date(visits.lastStart.getTime() - DAY + MINUTE);
const stage2 = (visits: Visits) => new Date(visits.lastStart.getTime() - 2 * HOUR + MINUTE);

const MESSAGE_ID = /^Message-ID:\s*(<[^>\r\n]+>)/im;
const messageIdOf = (message: Received) => MESSAGE_ID.exec(message.raw)?.[1];

/** How often each of these rows' Message-IDs reached the peer (accepted with 250). */
function deliveries(rows: Row[]): Map<string, number> {
  const byMessageId = new Map(
    rows.map((row) => [messageIdFor(row.idempotency_key, FROM_DOMAIN), row.idempotency_key]),
  );
  const counts = new Map(rows.map((row) => [row.idempotency_key, 0]));
  for (const message of smtp.received) {
    const key = byMessageId.get(messageIdOf(message) ?? '');
    if (key) counts.set(key, counts.get(key)! + 1);
  }
  return counts;
}

const delivered = (rows: Row[], triggers: readonly string[] = TRIGGERS) =>
  [...deliveries(rows.filter((r) => triggers.includes(r.trigger))).values()].every((n) => n > 0);

/** Waits until every row of `triggers` has reached the peer and is recorded as sent. */
async function untilSent(visits: Visits, triggers: readonly string[], what: string) {
  await until(
    async () => {
      const rows = (await rowsOf(visits.appointmentIds)).filter((r) =>
        triggers.includes(r.trigger),
      );
      return delivered(rows, triggers) && rows.every((r) => r.status === 'sent');
    },
    what,
    30_000,
  );
}

/**
 * Every row sent once and recorded once: status `sent`, its own Communication (status `sent`,
 * about the same appointment), and no other Communication about these appointments (a send
 * recorded twice would leave one).
 */
async function expectConsistent(visits: Visits) {
  const rows = await rowsOf(visits.appointmentIds);
  expect(rows.map((r) => [r.trigger, r.status, r.lease_until])).toEqual(
    rows.map((r) => [r.trigger, 'sent', null]),
  );
  const communications = await crash.sql<{ id: string; about: string; status: string }>(
    `select id, about, status from communication where about = any($1)`,
    [visits.appointmentIds.map((id) => `Appointment/${id}`)],
  );
  expect(communications).toHaveLength(rows.length);
  const byId = new Map(communications.map((c) => [c.id, c]));
  for (const row of rows)
    expect(byId.get(row.communication_id ?? '')).toEqual({
      id: row.communication_id,
      about: row.about,
      status: 'sent',
    });
}

/** Resolves once the process `pid` is stopped (SIGSTOP took effect: state `T`). */
async function untilStopped(pid: number) {
  await until(
    () => /^\d+ \(.*\) T /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')),
    'the hub process to stop',
    5_000,
  );
}

/** A deferred the test settles. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
}

afterEach(() => {
  onMessage = undefined;
});

it('sends reminders planned before a crash once after the restart (planned, committed, not due)', async () => {
  const visits = await bookVisits(2, 'a');
  const planned = await rowsOf(visits.appointmentIds);
  expect(planned.map((r) => r.status)).toEqual(planned.map(() => 'scheduled'));
  const before = smtp.received.length;

  await crash.kill();
  await crash.start();
  const after = await rowsOf(visits.appointmentIds);
  expect(after.map((r) => [r.id, r.status])).toEqual(planned.map((r) => [r.id, 'scheduled']));
  expect(smtp.received.length).toBe(before);

  await crash.setClock(stage1(visits));
  await untilSent(visits, ['PT48H', 'PT24H'], 'the 48- and 24-hour reminders');
  await crash.setClock(stage2(visits));
  await untilSent(visits, TRIGGERS, 'the 2-hour reminders');
  // More polls send nothing again.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rows = await rowsOf(visits.appointmentIds);
  expect([...deliveries(rows).values()]).toEqual(rows.map(() => 1));
  expect(smtp.received.length).toBe(before + rows.length);
  expect(rows.map((r) => r.attempts)).toEqual(rows.map(() => 1));
  await expectConsistent(visits);
}, 60_000);

it('sends a message once when the hub is killed while the server holds its reply to DATA', async () => {
  const visits = await bookVisits(1, 'b');
  const held = deferred<Received>();
  const reply = deferred();
  onMessage = (message) => {
    onMessage = undefined;
    held.resolve(message);
    return reply.promise;
  };
  const dataBefore = dataReceived;
  const acceptedBefore = smtp.received.length;
  await crash.setClock(stage1(visits));
  const inFlight = await held.promise;
  const claimed = await rowsOf(visits.appointmentIds);
  const sending = claimed.find(
    (r) => messageIdFor(r.idempotency_key, FROM_DOMAIN) === messageIdOf(inFlight),
  )!;
  expect(sending).toMatchObject({ trigger: 'PT48H', status: 'sending', attempts: 1 });

  await crash.kill();
  // The client never got its 250: per SMTP the message was not accepted.
  reply.reject(Object.assign(new Error('Connection lost'), { responseCode: 451 }));
  await crash.start();
  // Its lease holds it (and the other one claimed with it) until it ends: nothing is sent.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(smtp.received.length).toBe(acceptedBefore);
  expect((await rowsOf(visits.appointmentIds)).find((r) => r.id === sending.id)?.status).toBe(
    'sending',
  );

  await crash.advanceClock((LEASE_SECONDS + 1) * 1_000);
  await untilSent(visits, ['PT48H', 'PT24H'], 'the claimed messages to be sent again');
  await crash.setClock(stage2(visits));
  await untilSent(visits, TRIGGERS, 'the 2-hour reminder');
  const rows = await rowsOf(visits.appointmentIds);
  expect([...deliveries(rows).values()]).toEqual([1, 1, 1]);
  expect(smtp.received.length - acceptedBefore).toBe(3);
  // The refused DATA, then the three accepted.
  expect(dataReceived - dataBefore).toBe(4);
  expect(rows.find((r) => r.id === sending.id)?.attempts).toBe(2);
  await expectConsistent(visits);
}, 60_000);

it('sends a message twice under one Message-ID when the hub dies after the 250 and before its commit (the at-least-once window)', async () => {
  const visits = await bookVisits(1, 'w');
  const accepted = deferred<Received>();
  onMessage = async (message) => {
    onMessage = undefined;
    // Frozen before the server answers: the hub cannot read the 250 it is about to get.
    const pid = crash.current!.child.pid!;
    crash.pause();
    await untilStopped(pid);
    accepted.resolve(message);
  };
  const acceptedBefore = smtp.received.length;
  await crash.setClock(stage1(visits));
  const first = await accepted.promise;
  await until(() => smtp.received.includes(first), 'the 250 to be sent');
  await crash.kill();
  await crash.start();
  await crash.advanceClock((LEASE_SECONDS + 1) * 1_000);
  await untilSent(visits, ['PT48H', 'PT24H'], 'the claimed messages to be sent');
  await crash.setClock(stage2(visits));
  await untilSent(visits, TRIGGERS, 'the 2-hour reminder');

  const rows = await rowsOf(visits.appointmentIds);
  const twice = rows.find(
    (r) => messageIdFor(r.idempotency_key, FROM_DOMAIN) === messageIdOf(first),
  )!;
  const counts = deliveries(rows);
  expect(rows.map((r) => counts.get(r.idempotency_key))).toEqual(
    rows.map((r) => (r.id === twice.id ? 2 : 1)),
  );
  expect(smtp.received.length - acceptedBefore).toBe(4);
  // Recorded once: the first attempt never committed.
  expect(twice).toMatchObject({ status: 'sent', attempts: 2 });
  await expectConsistent(visits);
}, 60_000);

it('delivers every (appointment, offset) once when killed at a random point of dispatching', async () => {
  const COUNT = 24;
  const visits = await bookVisits(COUNT, 'c');
  const total = COUNT * TRIGGERS.length;
  // After 1 to total - 1 accepted messages and up to 15 ms more, chosen by the seed.
  const killAfter = 1 + (SEED % (total - 1));
  const delayMs = (SEED * 7919) % 16;
  const acceptedBefore = smtp.received.length;
  let restarted: Promise<void> | undefined;
  const atKill = { accepted: 0, sent: 0, sending: 0 };
  onMessage = () => {
    if (restarted || smtp.received.length - acceptedBefore + 1 < killAfter) return;
    restarted = (async () => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await crash.kill();
      atKill.accepted = smtp.received.length - acceptedBefore;
      const rows = await rowsOf(visits.appointmentIds);
      atKill.sent = rows.filter((r) => r.status === 'sent').length;
      atKill.sending = rows.filter((r) => r.status === 'sending').length;
      await crash.start();
      // The restart took longer than a lease: the messages the killed hub held are claimable.
      await crash.advanceClock((LEASE_SECONDS + 1) * 1_000);
    })();
  };
  const settled = async (triggers: readonly string[]) => {
    await until(
      async () => {
        if (restarted) await restarted;
        const rows = (await rowsOf(visits.appointmentIds)).filter((r) =>
          triggers.includes(r.trigger),
        );
        return delivered(rows, triggers) && rows.every((r) => r.status === 'sent');
      },
      `the ${triggers.join(', ')} reminders`,
      45_000,
    );
  };
  await crash.setClock(stage1(visits));
  await settled(['PT48H', 'PT24H']);
  await crash.setClock(stage2(visits));
  await settled(TRIGGERS);
  await restarted;

  const rows = await rowsOf(visits.appointmentIds);
  const counts = deliveries(rows);
  const duplicates = smtp.received.length - acceptedBefore - total;
  console.log(JSON.stringify({ seed: SEED, killAfter, delayMs, atKill, duplicates }));
  // Killed mid-dispatch: some sent, some not.
  expect(restarted).toBeDefined();
  expect(atKill.accepted).toBeGreaterThan(0);
  expect(atKill.accepted).toBeLessThan(total);
  // Each distinct Message-ID (one per appointment and offset) reached the server.
  expect(rows).toHaveLength(total);
  expect(rows.filter((r) => counts.get(r.idempotency_key)! >= 1)).toHaveLength(total);
  // A second copy only for the one message the kill could catch between the server's 250 and
  // the hub's commit (the dispatcher sends one at a time): the window shown above.
  expect(duplicates).toBeGreaterThanOrEqual(0);
  expect(duplicates).toBeLessThanOrEqual(1);
  expect(rows.filter((r) => counts.get(r.idempotency_key)! > 1)).toHaveLength(duplicates);
  expect(duplicates).toBeLessThanOrEqual(atKill.accepted - atKill.sent);
  expect(rows.every((r) => r.attempts <= 2)).toBe(true);
  await expectConsistent(visits);
}, 90_000);

it('fails a message that throws with DISPATCH_ERROR after maxAttempts claims, and sends the rest of its batch', async () => {
  const visits = await bookVisits(3, 'p');
  const planned = await rowsOf(visits.appointmentIds);
  // The first due of the batch (the first visit's 48-hour reminder) names a rule version that
  // does not exist: loading it throws, which no channel or template error explains.
  const broken = planned[0]!;
  expect(broken.trigger).toBe('PT48H');
  await crash.sql(`update engagement_scheduled_message set rule_version = 999 where id = $1`, [
    broken.id,
  ]);
  const acceptedBefore = smtp.received.length;
  await crash.setClock(stage1(visits));
  const batch = planned.filter((r) => r.trigger !== 'PT2H');
  const others = batch.filter((r) => r.id !== broken.id);
  await until(
    async () => {
      const rows = await rowsOf(visits.appointmentIds);
      return others.every((o) => rows.find((r) => r.id === o.id)?.status === 'sent');
    },
    'the rest of the batch to be sent',
    20_000,
  );
  // Sent while the broken one still held its first lease: it did not hold up the batch.
  let row = (await rowsOf(visits.appointmentIds)).find((r) => r.id === broken.id)!;
  expect(row).toMatchObject({ status: 'sending', attempts: 1 });
  expect(new Date(row.lease_until!).getTime()).toBeGreaterThan(crash.now().getTime());

  // Retried once each lease ends, until it has been claimed more than maxAttempts times.
  for (let attempt = 2; attempt <= MAX_ATTEMPTS + 1; attempt += 1) {
    await crash.advanceClock((LEASE_SECONDS + 1) * 1_000);
    await until(
      async () =>
        ((await rowsOf(visits.appointmentIds)).find((r) => r.id === broken.id)?.attempts ?? 0) >=
        attempt,
      `claim ${attempt}`,
      20_000,
    );
  }
  await until(
    async () =>
      (await rowsOf(visits.appointmentIds)).find((r) => r.id === broken.id)?.status === 'failed',
    'the broken message to fail',
    20_000,
  );
  row = (await rowsOf(visits.appointmentIds)).find((r) => r.id === broken.id)!;
  expect(row).toMatchObject({
    status: 'failed',
    reason_code: 'DISPATCH_ERROR',
    attempts: MAX_ATTEMPTS + 1,
    lease_until: null,
    communication_id: null,
  });
  const counts = deliveries(batch);
  expect(batch.map((r) => counts.get(r.idempotency_key))).toEqual(
    batch.map((r) => (r.id === broken.id ? 0 : 1)),
  );
  expect(smtp.received.length - acceptedBefore).toBe(others.length);
}, 60_000);
