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
/** The default rules plan these for a visit more than 7 days ahead. */
const TRIGGERS = ['P7D', 'PT48H', 'PT24H', 'PT2H'] as const;
/** Appointments of one scenario are this far apart (one practitioner, no overlap). */
const SLOT = 2 * MINUTE;
/** Scenarios are this far apart: one's reminders are all sent before the next one's first is due. */
const SCENARIO_GAP = 8 * DAY;
/** Bookings sent at once while the scenarios are set up. */
const BOOKING_CONCURRENCY = 4;
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
    // The demo clinic's own booked appointments stay out of it: only the suite's are planned
    // (from their booking events; the sweep of upcoming appointments would add the seed's).
    planning: { sweepAtStart: false, sweepMinutes: 0 },
    dispatch: {
      pollMs: 50,
      batchSize: 100,
      leaseSeconds: LEASE_SECONDS,
      maxAttempts: MAX_ATTEMPTS,
    },
  });
  const first = await crash.start();
  expect(first.seeded).toBe(true);
  const [practitioner] = await crash.sql<{ id: string }>(
    `select id from practitioner where tenant_id = $1 order by id limit 1`,
    [crash.tenantId],
  );
  practitionerId = practitioner!.id;
  await bookScenarios();
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

/** A scenario's appointments: one new patient each, `SLOT` apart. */
interface Visits {
  appointmentIds: string[];
  /** The last one's start: the stages' clock is set from it. */
  lastStart: Date;
}

/**
 * Books `count` appointments from `first` on, each for a new patient with an email address (the
 * frequency caps count per recipient).
 */
async function bookVisits(count: number, label: string, first: Date): Promise<Visits> {
  const bookOne = async (i: number) => {
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
    return booked.data!.bookAppointment.id;
  };
  const appointmentIds: string[] = [];
  for (let i = 0; i < count; i += BOOKING_CONCURRENCY)
    appointmentIds.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(BOOKING_CONCURRENCY, count - i) }, (_, j) => bookOne(i + j)),
      )),
    );
  return { appointmentIds, lastStart: new Date(first.getTime() + (count - 1) * SLOT) };
}

/** The scenarios' visits, in the order the tests run. */
const SCENARIOS = { a: 2, b: 1, w: 1, l: 1, c: 24, p: 3 } as const;
let visitsOf: Record<keyof typeof SCENARIOS, Visits>;

/**
 * Every scenario's visits are booked (and their reminders planned) by the first process: a
 * restarted hub takes over the plugin's event cursor only once the killed one's lease on it has
 * run out (core's 30 s), and the suite is about the queue, not the event cursor. They lie at
 * 03:00 UTC (no seeded visit is at that hour), from 9 days ahead, `SCENARIO_GAP` apart.
 */
async function bookScenarios() {
  const base = new Date(Date.now() + 9 * DAY);
  base.setUTCHours(3, 0, 0, 0);
  const entries = Object.entries(SCENARIOS) as [keyof typeof SCENARIOS, number][];
  const booked: Partial<Record<keyof typeof SCENARIOS, Visits>> = {};
  for (const [index, [label, count]] of entries.entries())
    booked[label] = await bookVisits(count, label, new Date(base.getTime() + index * SCENARIO_GAP));
  visitsOf = booked as Record<keyof typeof SCENARIOS, Visits>;
  const ids = Object.values(visitsOf).flatMap((v) => v.appointmentIds);
  await until(
    async () => (await rowsOf(ids)).length === ids.length * TRIGGERS.length,
    'the reminders to be planned',
    30_000,
  );
}

/**
 * The three clock stages that make every reminder of `visits` due within the email caps (two a
 * local day, five a week): a minute after the last visit's 7-day reminder, after its 24-hour one
 * (the 48- and 24-hour ones of all are due), and after its 2-hour one (the next day; every visit
 * is still ahead, its reminders unexpired).
 */
const stages = (visits: Visits) =>
  [7 * DAY, DAY, 2 * HOUR].map((before) => new Date(visits.lastStart.getTime() - before + MINUTE));
/** The triggers due at each stage. */
const STAGE_TRIGGERS = [['P7D'], ['P7D', 'PT48H', 'PT24H'], TRIGGERS] as const;

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

/** Sets the clock to each stage of `visits` from `from` on and waits until its messages went out. */
async function sendStages(visits: Visits, from = 0) {
  for (const [index, at] of stages(visits).entries())
    if (index >= from) {
      await crash.setClock(at);
      await untilSent(
        visits,
        STAGE_TRIGGERS[index]!,
        `the ${STAGE_TRIGGERS[index]!.join(', ')} reminders`,
      );
    }
}

/** Lets a restarted hub claim what the killed one held: the restart took longer than a lease. */
const outlastLease = () => crash.advanceClock((LEASE_SECONDS + 1) * 1_000);

it('sends reminders planned before a crash once after the restart (planned, committed, not due)', async () => {
  const visits = visitsOf.a;
  const planned = await rowsOf(visits.appointmentIds);
  expect(planned.map((r) => r.status)).toEqual(planned.map(() => 'scheduled'));
  expect(planned.map((r) => r.trigger).sort()).toEqual([...TRIGGERS, ...TRIGGERS].sort());
  const before = smtp.received.length;

  await crash.kill();
  await crash.start();
  const after = await rowsOf(visits.appointmentIds);
  expect(after.map((r) => [r.id, r.status])).toEqual(planned.map((r) => [r.id, 'scheduled']));
  expect(smtp.received.length).toBe(before);

  await sendStages(visits);
  // More polls send nothing again.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rows = await rowsOf(visits.appointmentIds);
  expect([...deliveries(rows).values()]).toEqual(rows.map(() => 1));
  expect(smtp.received.length).toBe(before + rows.length);
  expect(rows.map((r) => r.attempts)).toEqual(rows.map(() => 1));
  await expectConsistent(visits);
}, 60_000);

it('sends a message once when the hub is killed while the server holds its reply to DATA', async () => {
  const visits = visitsOf.b;
  const held = deferred<Received>();
  const reply = deferred();
  onMessage = (message) => {
    onMessage = undefined;
    held.resolve(message);
    return reply.promise;
  };
  const dataBefore = dataReceived;
  const acceptedBefore = smtp.received.length;
  await crash.setClock(stages(visits)[0]!);
  const inFlight = await held.promise;
  const sending = (await rowsOf(visits.appointmentIds)).find(
    (r) => messageIdFor(r.idempotency_key, FROM_DOMAIN) === messageIdOf(inFlight),
  )!;
  // Claimed and committed as such before the send began.
  expect(sending).toMatchObject({ trigger: 'P7D', status: 'sending', attempts: 1 });

  await crash.kill();
  // The client never got its 250: per SMTP the message was not accepted.
  reply.reject(Object.assign(new Error('Connection lost'), { responseCode: 451 }));
  await crash.start();
  // Its lease holds it until it ends: nothing is sent meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(smtp.received.length).toBe(acceptedBefore);
  expect((await rowsOf(visits.appointmentIds)).find((r) => r.id === sending.id)).toMatchObject({
    status: 'sending',
    attempts: 1,
  });

  await outlastLease();
  await untilSent(visits, ['P7D'], 'the claimed message to be sent again');
  await sendStages(visits, 1);
  const rows = await rowsOf(visits.appointmentIds);
  expect([...deliveries(rows).values()]).toEqual([1, 1, 1, 1]);
  expect(smtp.received.length - acceptedBefore).toBe(4);
  // The refused DATA, then the four accepted.
  expect(dataReceived - dataBefore).toBe(5);
  expect(rows.find((r) => r.id === sending.id)?.attempts).toBe(2);
  await expectConsistent(visits);
}, 60_000);

it('sends a message twice under one Message-ID when the hub dies after the 250 and before its commit (the at-least-once window)', async () => {
  const visits = visitsOf.w;
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
  await crash.setClock(stages(visits)[0]!);
  const first = await accepted.promise;
  await until(() => smtp.received.includes(first), 'the 250 to be sent');
  await crash.kill();
  await crash.start();
  await outlastLease();
  await untilSent(visits, ['P7D'], 'the message to be sent again');
  await sendStages(visits, 1);

  const rows = await rowsOf(visits.appointmentIds);
  const twice = rows.find(
    (r) => messageIdFor(r.idempotency_key, FROM_DOMAIN) === messageIdOf(first),
  )!;
  expect(twice.trigger).toBe('P7D');
  const counts = deliveries(rows);
  expect(rows.map((r) => counts.get(r.idempotency_key))).toEqual(
    rows.map((r) => (r.id === twice.id ? 2 : 1)),
  );
  expect(smtp.received.length - acceptedBefore).toBe(5);
  // Recorded once: the first attempt never committed.
  expect(twice).toMatchObject({ status: 'sent', attempts: 2 });
  await expectConsistent(visits);
}, 60_000);

it('records a send once when another hub reclaimed the message after its lease ran out mid-send', async () => {
  const visits = visitsOf.l;
  const held = deferred<Received>();
  const reply = deferred();
  onMessage = (message) => {
    onMessage = undefined;
    held.resolve(message);
    return reply.promise;
  };
  const acceptedBefore = smtp.received.length;
  const slow = crash.current!;
  await crash.setClock(stages(visits)[0]!);
  const first = await held.promise;
  // The send outlasts its lease: a second hub on the same queue claims the message and sends it.
  await outlastLease();
  await crash.start();
  await untilSent(visits, ['P7D'], 'the second hub to send the message');
  const [sent] = (await rowsOf(visits.appointmentIds)).filter((r) => r.trigger === 'P7D');
  expect(sent).toMatchObject({ status: 'sent', attempts: 2 });

  // The first hub's send is accepted after all: it must not record it over the second's.
  reply.resolve();
  await until(() => smtp.received.includes(first), 'the first send to be accepted');
  // A graceful stop waits for the batch in hand: the first hub has tried to record its send.
  await crash.stop(slow);
  await sendStages(visits, 1);
  const rows = await rowsOf(visits.appointmentIds);
  const counts = deliveries(rows);
  // Both hubs' copies arrived (one Message-ID): a send cannot be taken back once under way.
  expect(rows.map((r) => counts.get(r.idempotency_key))).toEqual(
    rows.map((r) => (r.id === sent!.id ? 2 : 1)),
  );
  expect(smtp.received.length - acceptedBefore).toBe(5);
  expect(rows.find((r) => r.id === sent!.id)).toMatchObject({
    status: 'sent',
    attempts: 2,
    communication_id: sent!.communication_id,
  });
  await expectConsistent(visits);
}, 60_000);

it('delivers every (appointment, offset) once when killed at a random point of dispatching', async () => {
  const visits = visitsOf.c;
  const total = visits.appointmentIds.length * TRIGGERS.length;
  // After 1 to 72 accepted messages (the first two stages) and up to 15 ms more, chosen by the
  // seed: the 2-hour reminders are not due yet, so some are always left to send after it.
  const lastStage = visits.appointmentIds.length;
  const killAfter = 1 + (SEED % (total - lastStage));
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
      await outlastLease();
    })();
  };
  for (const [index, at] of stages(visits).entries()) {
    await crash.setClock(at);
    const triggers: readonly string[] = STAGE_TRIGGERS[index]!;
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
  }
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
  // A second copy only of messages the kill caught between the server's 250 and their batch's
  // commit (the window the previous test shows): at most those accepted and not recorded as
  // sent when the hub died, each a second copy of one Message-ID.
  expect(duplicates).toBeGreaterThanOrEqual(0);
  expect(rows.filter((r) => counts.get(r.idempotency_key)! > 1)).toHaveLength(duplicates);
  expect(duplicates).toBeLessThanOrEqual(atKill.accepted - atKill.sent);
  expect(rows.every((r) => r.attempts <= 2)).toBe(true);
  await expectConsistent(visits);
}, 90_000);

it('fails a message that throws with DISPATCH_ERROR after maxAttempts claims, and sends the rest of its batch', async () => {
  const visits = visitsOf.p;
  const batch = (await rowsOf(visits.appointmentIds)).filter((r) => r.trigger === 'P7D');
  expect(batch).toHaveLength(3);
  // The first due of the batch names a rule version that does not exist: loading it throws,
  // which no channel or template error explains.
  const broken = batch[0]!;
  await crash.sql(`update engagement_scheduled_message set rule_version = 999 where id = $1`, [
    broken.id,
  ]);
  const others = batch.slice(1);
  const acceptedBefore = smtp.received.length;
  const brokenRow = async () =>
    (await rowsOf(visits.appointmentIds)).find((r) => r.id === broken.id)!;
  await crash.setClock(stages(visits)[0]!);
  await until(
    async () => {
      const rows = await rowsOf(visits.appointmentIds);
      return others.every((o) => rows.find((r) => r.id === o.id)?.status === 'sent');
    },
    'the rest of the batch to be sent',
    20_000,
  );
  // Sent while the broken one still held its first lease: it did not hold up the batch.
  let row = await brokenRow();
  expect(row).toMatchObject({ status: 'sending', attempts: 1 });
  expect(new Date(row.lease_until!).getTime()).toBeGreaterThan(crash.now().getTime());

  // Claimed again each time its lease ends, until it has been claimed more than maxAttempts times.
  for (let attempt = 2; attempt <= MAX_ATTEMPTS + 1; attempt += 1) {
    await outlastLease();
    await until(async () => (await brokenRow()).attempts >= attempt, `claim ${attempt}`, 20_000);
  }
  await until(async () => (await brokenRow()).status === 'failed', 'the message to fail', 20_000);
  row = await brokenRow();
  expect(row).toMatchObject({
    status: 'failed',
    reason_code: 'DISPATCH_ERROR',
    attempts: MAX_ATTEMPTS + 1,
    lease_until: null,
    communication_id: null,
  });
  const counts = deliveries(batch);
  expect(batch.map((r) => counts.get(r.idempotency_key))).toEqual([0, 1, 1]);
  expect(smtp.received.length - acceptedBefore).toBe(others.length);
}, 60_000);
