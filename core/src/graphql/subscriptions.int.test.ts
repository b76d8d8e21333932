import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CareEventType,
  CareTeamMember,
  CareTeamPatient,
  Role,
  User,
  type CareEventMessage,
} from '@caregraph/schema';
import { CARE_TEAM_ROLES } from '../security/root-field-access.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { until } from '../testing/eventually.js';

const FEED = `subscription { careTeamFeed {
  id type occurredAt summary patient { id } subject { __typename ... on Task { id title } }
} }`;
const PATIENT_EVENTS = `subscription($patientId: ID!) { patientEvents(patientId: $patientId) {
  id type summary patient { id } subject { __typename ... on Appointment { id status } }
} }`;
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id title } }';

type CareEvent = {
  id: string;
  type: string;
  occurredAt?: string;
  summary: string;
  patient: { id: string };
  subject: { __typename: string; id: string; title?: string; status?: string };
};

/** How long "nothing more arrives" is watched. */
const QUIET_MS = 400;

let t: TestHub;
const clients: Client[] = [];
/** The hub's SQL statements while a test records them. */
let recorded: string[] | undefined;
/** Practitioner user ids and the patients on their care teams (from the seed's rows). */
let nurse: { userId: string; patientId: string };
let outsider: { userId: string; foreignPatientId: string; ownPatientId: string };

interface Feed {
  events: CareEvent[];
  errors: unknown[];
  waitFor(count: number): Promise<void>;
}

function connect(authorization?: string): Client {
  const client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { Authorization: authorization } : {},
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  return client;
}

/** Live bus subscriptions of the demo tenant. */
function liveSubscriptions(): number {
  return t.hub.events.activeSubscriptions(t.seed.tenantId);
}

/** Subscribes and resolves once the server follows the bus (so events sent next are seen). */
async function subscribe(
  client: Client,
  query: string,
  field: string,
  variables: Record<string, unknown> = {},
  live = true,
): Promise<Feed> {
  const before = liveSubscriptions();
  const feed: Feed = {
    events: [],
    errors: [],
    waitFor: (count) =>
      until(() => feed.events.length >= count || feed.errors.length > 0, `${count} event(s)`),
  };
  client.subscribe<Record<string, CareEvent>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) feed.errors.push(result.errors);
        else feed.events.push(result.data![field]!);
      },
      error: (error) => feed.errors.push(error),
      complete: () => {},
    },
  );
  if (live) await until(() => liveSubscriptions() > before, 'the subscription to go live');
  return feed;
}

const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

async function bearer(who: { role: Role } | { userId: string }): Promise<string> {
  return `Bearer ${await t.token(who)}`;
}

async function createTask(patientId: string, title: string): Promise<string> {
  const res = await t.graphql<{ createTask: { id: string } }>(
    CREATE_TASK,
    { input: { patientId, title } },
    { role: Role.PHYSICIAN },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createTask.id;
}

/** Reads care-team membership and enrolment rows of the seed to pick subscribers and patients. */
async function pickPeople(): Promise<void> {
  const [members, enrolments, users] = await t.inTenant((em) =>
    Promise.all([
      em.find(CareTeamMember, { periodEnd: null }),
      em.find(CareTeamPatient, { periodEnd: null }),
      em.find(
        User,
        { practitioner: { $ne: null }, active: true },
        { orderBy: { createdAt: 'asc' } },
      ),
    ]),
  );
  const teamsOf = (practitionerId: string) =>
    new Set(members.filter((m) => m.practitioner.id === practitionerId).map((m) => m.careTeam.id));
  const patientsOn = (teams: Set<string>) =>
    new Set(enrolments.filter((e) => teams.has(e.careTeam.id)).map((e) => e.patient.id));
  const allPatients = [...new Set(enrolments.map((e) => e.patient.id))];

  const nurseUserId = t.seed.users.find((u) => u.roles.includes(Role.NURSE))!.id;
  const nurseUser = users.find((u) => u.id === nurseUserId)!;
  nurse = {
    userId: nurseUserId,
    patientId: [...patientsOn(teamsOf(nurseUser.practitioner!.id))][0]!,
  };

  for (const user of users) {
    if (user.id === nurseUserId || !user.roles.some((r) => CARE_TEAM_ROLES.includes(r))) continue;
    const own = patientsOn(teamsOf(user.practitioner!.id));
    const foreign = allPatients.find((p) => !own.has(p));
    if (own.size > 0 && foreign) {
      outsider = { userId: user.id, foreignPatientId: foreign, ownPatientId: [...own][0]! };
      return;
    }
  }
  throw new Error('no practitioner in the seed is off some patient’s care teams');
}

beforeAll(async () => {
  t = await createTestHub({ onQuery: (sql) => recorded?.push(sql) });
  await pickPeople();
}, 180_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await until(() => liveSubscriptions() === 0, 'subscriptions to end');
});

afterAll(async () => {
  await t?.stop();
});

describe('careTeamFeed', () => {
  it('delivers exactly the TaskAssigned event to a nurse on the patient’s care team', async () => {
    const feed = await subscribe(
      connect(await bearer({ userId: nurse.userId })),
      FEED,
      'careTeamFeed',
    );
    const taskId = await createTask(nurse.patientId, 'Check blood pressure log');
    await feed.waitFor(1);
    await quiet();
    expect(feed.errors).toEqual([]);
    expect(feed.events).toHaveLength(1);
    expect(feed.events[0]).toMatchObject({
      type: 'TASK_ASSIGNED',
      summary: 'Task assigned',
      patient: { id: nurse.patientId },
      subject: { __typename: 'Task', id: taskId, title: 'Check blood pressure log' },
    });
    expect(Math.abs(new Date(feed.events[0]!.occurredAt!).getTime() - Date.now())).toBeLessThan(
      60_000,
    );
  });

  it('sends nothing about a patient off the practitioner’s teams, but does send their own patients’ events', async () => {
    const feed = await subscribe(
      connect(await bearer({ userId: outsider.userId })),
      FEED,
      'careTeamFeed',
    );
    await createTask(outsider.foreignPatientId, 'Not for this practitioner');
    const ownTaskId = await createTask(outsider.ownPatientId, 'For this practitioner');
    await feed.waitFor(1);
    await quiet();
    expect(feed.errors).toEqual([]);
    expect(feed.events.map((e) => [e.patient.id, e.subject.id])).toEqual([
      [outsider.ownPatientId, ownTaskId],
    ]);
  });

  it('issue 4: looks up an event’s care teams for all subscribers at once and authorises only members, one by one', async () => {
    const feeds = [];
    for (let i = 0; i < 3; i++)
      feeds.push(
        await subscribe(connect(await bearer({ userId: outsider.userId })), FEED, 'careTeamFeed'),
      );
    const publish = (patientId: string): CareEventMessage => ({
      id: randomUUID(),
      tenantId: t.seed.tenantId,
      type: CareEventType.TASK_ASSIGNED,
      patientId,
      occurredAt: new Date().toISOString(),
      summary: 'Task assigned',
      subject: { type: 'Task', id: randomUUID() },
    });
    const count = (fragment: string) => recorded!.filter((sql) => sql.includes(fragment)).length;
    const lookups = 'select distinct m.practitioner_id';
    const relationshipChecks = 'as care_team,';

    recorded = [];
    await t.hub.events.publish(publish(outsider.foreignPatientId));
    await quiet();
    // Three subscribers off the patient's teams: one lookup, no statement per subscriber.
    expect(count(lookups)).toBe(1);
    expect(count(relationshipChecks)).toBe(0);

    recorded = [];
    const own = publish(outsider.ownPatientId);
    await t.hub.events.publish(own);
    for (const feed of feeds) await feed.waitFor(1);
    await quiet();
    // Members are still authorised one by one at delivery, from the same per-event read of the
    // patient's care teams that routed the event: no statement each.
    expect(count(lookups)).toBe(1);
    expect(count(relationshipChecks)).toBe(0);
    recorded = undefined;
    for (const feed of feeds) {
      expect(feed.errors).toEqual([]);
      expect(feed.events.map((e) => [e.id, e.patient.id])).toEqual([
        [own.id, outsider.ownPatientId],
      ]);
    }
  });

  it('delivers events about themself to the patient user', async () => {
    const me = await t.graphql<{ me: { patient: { id: string } } }>(
      '{ me { patient { id } } }',
      {},
      { role: Role.PATIENT },
    );
    const selfId = me.body.data!.me.patient.id;
    const feed = await subscribe(
      connect(await bearer({ role: Role.PATIENT })),
      FEED,
      'careTeamFeed',
    );
    const otherId = [nurse.patientId, outsider.ownPatientId, outsider.foreignPatientId].find(
      (id) => id !== selfId,
    )!;
    await createTask(otherId, 'About someone else');
    const taskId = await createTask(selfId, 'Bring your glucose meter');
    await feed.waitFor(1);
    await quiet();
    expect(feed.errors).toEqual([]);
    expect(feed.events).toHaveLength(1);
    expect(feed.events[0]).toMatchObject({
      type: 'TASK_ASSIGNED',
      patient: { id: selfId },
      subject: { id: taskId },
    });
  });
});

describe('patientEvents', () => {
  it('delivers AppointmentBooked and AppointmentCancelled for that patient only', async () => {
    const practitioners = await t.graphql<{ practitioners: { edges: { node: { id: string } }[] } }>(
      '{ practitioners(first: 1) { edges { node { id } } } }',
      {},
      { role: Role.FRONT_DESK },
    );
    const practitionerId = practitioners.body.data!.practitioners.edges[0]!.node.id;
    const book = async (patientId: string, hoursAhead: number) => {
      const start = new Date(Date.now() + 1000 * 24 * 3600_000 + hoursAhead * 3600_000);
      start.setUTCMinutes(0, 0, 0);
      const res = await t.graphql<{ bookAppointment: { id: string } }>(
        'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
        {
          input: {
            patientId,
            practitionerId,
            start: start.toISOString(),
            end: new Date(start.getTime() + 1800_000).toISOString(),
          },
        },
        { role: Role.FRONT_DESK },
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.bookAppointment.id;
    };
    const otherPatient =
      outsider.ownPatientId === nurse.patientId ? outsider.foreignPatientId : outsider.ownPatientId;
    const feed = await subscribe(
      connect(await bearer({ userId: nurse.userId })),
      PATIENT_EVENTS,
      'patientEvents',
      { patientId: nurse.patientId },
    );
    await book(otherPatient, 1);
    const appointmentId = await book(nurse.patientId, 2);
    const cancel = await t.graphql(
      'mutation($id: ID!) { cancelAppointment(id: $id, reason: "clash") { id } }',
      { id: appointmentId },
      { role: Role.FRONT_DESK },
    );
    expect(cancel.body.errors).toBeUndefined();
    await feed.waitFor(2);
    await quiet();
    expect(feed.errors).toEqual([]);
    expect(feed.events.map((e) => [e.type, e.patient.id, e.subject.id])).toEqual([
      ['APPOINTMENT_BOOKED', nurse.patientId, appointmentId],
      ['APPOINTMENT_CANCELLED', nurse.patientId, appointmentId],
    ]);
    expect(feed.events[1]!.subject.status).toBe('CANCELLED');
  });
});

describe('unsubscribing', () => {
  it('stops following the bus as soon as the client leaves, even with no event to deliver', async () => {
    const client = connect(await bearer({ userId: outsider.userId }));
    const feed = await subscribe(client, FEED, 'careTeamFeed');
    expect(liveSubscriptions()).toBe(1);
    await client.dispose();
    await until(() => liveSubscriptions() === 0, 'the bus listener to be released', 1_000);
    await createTask(outsider.ownPatientId, 'After the client left');
    await quiet();
    expect(feed.events).toEqual([]);
  });
});

describe('connection authentication', () => {
  it('refuses a connection without an Authorization connection param: a close, no data', async () => {
    const feed = await subscribe(connect(), FEED, 'careTeamFeed', {}, false);
    await until(() => feed.errors.length > 0, 'the connection to be refused');
    await createTask(nurse.patientId, 'Nobody anonymous sees this');
    await quiet();
    expect(feed.events).toEqual([]);
    expect(feed.errors).toHaveLength(1);
    expect((feed.errors[0] as { code?: number }).code).toBe(4403);
    expect(liveSubscriptions()).toBe(0);
  });

  it('refuses a connection with a forged token', async () => {
    const feed = await subscribe(
      connect('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'),
      FEED,
      'careTeamFeed',
      {},
      false,
    );
    await until(() => feed.errors.length > 0, 'the connection to be refused');
    expect(feed.events).toEqual([]);
    expect((feed.errors[0] as { code?: number }).code).toBe(4403);
  });
});
