/**
 * Issue 4: audience routing. An event wakes only the subscriptions it can be for (staff on the
 * patient's care teams, the patient, `patientEvents` of that patient, wildcard subscribers such
 * as proxies), and everyone who received events before routing still receives them.
 */
import {
  CareTeamPatient,
  Consent,
  ConsentPurpose,
  ConsentStatus,
  Role,
  User,
} from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { careTeamSplit, createUserWithRoles, type TestUser } from '../testing/access-fixtures.js';
import { openSubscription, type TestSubscription } from '../testing/subscription-client.js';
import { notEndedAt } from '../db/period-filters.js';
import { until } from '../testing/eventually.js';
import { routingCounters } from '../testing/routing-counters.js';

type FeedEvent = { id: string; type: string; patient: { id: string } | null };

const FEED = 'subscription($after: ID) { careTeamFeed(after: $after) { id type patient { id } } }';
const PATIENT_EVENTS =
  'subscription($patientId: ID!) { patientEvents(patientId: $patientId) { id type patient { id } } }';
const QUIET_MS = 400;

let t: TestHub;
let split: Awaited<ReturnType<typeof careTeamSplit>>;
/** A physician with the care relationships of one specialist (on few patients' teams). */
let specialist: TestUser;
const open: TestSubscription<FeedEvent>[] = [];

beforeAll(async () => {
  t = await createTestHub();
  split = await careTeamSplit(t);
  specialist = await createUserWithRoles(t, [Role.PHYSICIAN], split.practitionerId);
}, 180_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await until(() => live() === 0, 'subscriptions to end');
});

afterAll(async () => {
  await t?.stop();
});

const live = () => t.hub.events.activeSubscriptions(t.seed.tenantId);
const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

/** Opens a subscription and waits until it follows the bus. */
async function subscribe(
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<TestSubscription<FeedEvent>> {
  const before = live();
  const subscription = await openSubscription<FeedEvent>(t, token, query, variables);
  open.push(subscription);
  await until(() => live() > before, 'the subscription to go live');
  return subscription;
}

const routing = () => routingCounters(t.hub);

let slot = 0;
let bookingPractitioner: string | undefined;

/** Books an appointment for the patient (front desk books for any patient of the tenant). */
async function book(patientId: string): Promise<void> {
  if (!bookingPractitioner) {
    const res = await t.graphql<{ practitioners: { edges: { node: { id: string } }[] } }>(
      '{ practitioners(first: 1) { edges { node { id } } } }',
      {},
      { role: Role.FRONT_DESK },
    );
    bookingPractitioner = res.body.data!.practitioners.edges[0]!.node.id;
  }
  const start = new Date(Date.now() + 2000 * 24 * 3600_000 + ++slot * 3600_000);
  start.setUTCMinutes(0, 0, 0);
  const res = await t.graphql(
    'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
    {
      input: {
        patientId,
        practitionerId: bookingPractitioner,
        start: start.toISOString(),
        end: new Date(start.getTime() + 1800_000).toISOString(),
      },
    },
    { role: Role.FRONT_DESK },
  );
  expect(res.body.errors).toBeUndefined();
}

/** The care team `patientId` is enrolled on, and how many patients that team has. */
async function enrolmentOf(patientId: string): Promise<{ careTeamId: string; enrolled: number }> {
  return t.inTenant(async (em) => {
    const enrolment = await em.findOneOrFail(CareTeamPatient, {
      patient: patientId,
      periodEnd: null,
    });
    // The enrolments CareTeamChanged is derived for (not ended, open-ended or not).
    const enrolled = await em.count(CareTeamPatient, {
      careTeam: enrolment.careTeam.id,
      ...notEndedAt(new Date()),
    });
    return { careTeamId: enrolment.careTeam.id, enrolled };
  });
}

/** Adds the split's practitioner to a care team as a nurse; the membership id. */
async function joinTeam(careTeamId: string): Promise<string> {
  const added = await t.graphql<{ addCareTeamMember: { id: string } }>(
    'mutation($input: AddCareTeamMemberInput!) { addCareTeamMember(input: $input) { id } }',
    {
      input: {
        careTeamId,
        practitionerId: split.practitionerId,
        role: { system: 'http://snomed.info/sct', code: '224535009', display: 'Registered nurse' },
      },
    },
    { role: Role.ADMIN },
  );
  expect(added.body.errors).toBeUndefined();
  return added.body.data!.addCareTeamMember.id;
}

async function leaveTeam(memberId: string): Promise<void> {
  const removed = await t.graphql(
    'mutation($id: ID!) { removeCareTeamMember(memberId: $id) { id } }',
    { id: memberId },
    { role: Role.ADMIN },
  );
  expect(removed.body.errors).toBeUndefined();
}

describe('audience routing (issue 4)', () => {
  it('does not wake a subscriber off the patient’s care teams for any of N events, and still delivers their own', async () => {
    const feed = await subscribe(specialist.token, FEED);
    expect(live()).toBe(1);
    const before = await routing();
    const foreign = split.offTeam[0]!;
    const N = 5;
    for (let i = 0; i < N; i++) await book(foreign);
    await until(async () => (await routing()).skips >= before.skips + N, 'the events to be routed');
    await quiet();
    expect(await routing()).toEqual({ wakeups: before.wakeups, skips: before.skips + N });
    expect(feed.events).toEqual([]);

    await book(split.onTeam[0]!);
    await feed.waitFor(1);
    await quiet();
    expect(feed.errors).toEqual([]);
    expect(feed.events.map((e) => [e.type, e.patient?.id])).toEqual([
      ['APPOINTMENT_BOOKED', split.onTeam[0]],
    ]);
    expect((await routing()).wakeups).toBe(before.wakeups + 1);
  });

  it('replays with `after` exactly what the subscriber may see, after events it was not woken for', async () => {
    const first = await subscribe(specialist.token, FEED);
    await book(split.onTeam[0]!);
    await first.waitFor(1);
    const lastSeen = first.events[0]!.id;
    await first.close();
    open.splice(open.indexOf(first), 1);
    await until(() => live() === 0, 'the first subscription to end');

    await book(split.offTeam[0]!);
    await book(split.onTeam[0]!);
    const resumed = await subscribe(specialist.token, FEED, { after: lastSeen });
    await resumed.waitFor(1);
    await book(split.onTeam[0]!);
    await resumed.waitFor(2);
    await quiet();
    expect(resumed.errors).toEqual([]);
    expect(resumed.events.map((e) => e.patient?.id)).toEqual([split.onTeam[0], split.onTeam[0]]);
    expect(new Set(resumed.events.map((e) => e.id)).size).toBe(2);
  });

  it('routes an event to a practitioner who joined the patient’s care team since the last event', async () => {
    const newcomer = await createUserWithRoles(t, [Role.NURSE], split.practitionerId);
    const feed = await subscribe(newcomer.token, FEED);
    const patientId = split.offTeam[1]!;
    await book(patientId);
    await quiet();
    expect(feed.events).toEqual([]);
    const memberId = await joinTeam((await enrolmentOf(patientId)).careTeamId);
    try {
      // The membership's own CareTeamChanged event already reaches the newcomer.
      await book(patientId);
      await until(
        () => feed.events.some((e) => e.type === 'APPOINTMENT_BOOKED'),
        'the task event after joining',
      );
      await quiet();
      expect(feed.errors).toEqual([]);
      expect(feed.events.filter((e) => e.patient?.id === patientId).map((e) => e.type)).toEqual([
        'CARE_TEAM_CHANGED',
        'APPOINTMENT_BOOKED',
      ]);
    } finally {
      await leaveTeam(memberId);
    }
  });

  it('stops delivering at once to a practitioner removed from the team', async () => {
    const leaver = await createUserWithRoles(t, [Role.NURSE], split.practitionerId);
    const feed = await subscribe(leaver.token, FEED);
    const patientId = split.offTeam[3]!;
    const { careTeamId, enrolled } = await enrolmentOf(patientId);
    const memberId = await joinTeam(careTeamId);
    await book(patientId);
    await until(() => feed.events.some((e) => e.type === 'APPOINTMENT_BOOKED'), 'the booking');
    const received = (type: string) => feed.events.filter((e) => e.type === type).length;
    // Patients this team shares with the practitioner's own teams stay theirs after leaving.
    const teamChanges = () =>
      feed.events
        .filter((e) => e.type === 'CARE_TEAM_CHANGED' && !split.onTeam.includes(e.patient!.id))
        .map((e) => e.patient!.id);
    // Joining told the newcomer about each of the team's patients.
    await until(
      () =>
        new Set(feed.events.filter((e) => e.type === 'CARE_TEAM_CHANGED').map((e) => e.patient?.id))
          .size === enrolled,
      'the joining events',
    );
    await leaveTeam(memberId);
    // Immediately after the removal (each event's care teams are read afresh): neither the
    // removal's own events nor the next booking reach the leaver.
    await book(patientId);
    await quiet();
    expect(feed.errors).toEqual([]);
    expect(received('APPOINTMENT_BOOKED')).toBe(1);
    expect(teamChanges()).toHaveLength(new Set(teamChanges()).size);
  });

  it('still delivers to a break-glass holder on patientEvents, and not on careTeamFeed (as before)', async () => {
    const patientId = split.offTeam[2]!;
    const started = await t.graphql(
      'mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r) { id } }',
      { p: patientId, r: 'Unconscious in the emergency department' },
      { token: specialist.token },
    );
    expect(started.body.errors).toBeUndefined();
    const events = await subscribe(specialist.token, PATIENT_EVENTS, { patientId });
    const feed = await subscribe(specialist.token, FEED);
    await book(patientId);
    await events.waitFor(1);
    await quiet();
    expect(events.errors).toEqual([]);
    expect(events.events.map((e) => [e.type, e.patient?.id])).toEqual([
      ['APPOINTMENT_BOOKED', patientId],
    ]);
    expect(feed.events).toEqual([]);
  });

  it('still delivers the patient user’s own events and a proxy’s proxied patient’s events', async () => {
    const [patientUser, proxyUser, proxied] = await t.inTenant(async (em) => {
      const patient = await em.findOneOrFail(User, { patient: { $ne: null }, active: true });
      const proxy = await em.findOneOrFail(User, { relatedPerson: { $ne: null }, active: true });
      const consent = await em.findOneOrFail(Consent, {
        grantee: proxy.relatedPerson!.id,
        purpose: ConsentPurpose.PROXY_ACCESS,
        status: ConsentStatus.ACTIVE,
      });
      return [patient, proxy, consent.patient.id] as const;
    });
    const selfId = patientUser.patient!.id;
    const patientFeed = await subscribe(await t.token({ userId: patientUser.id }), FEED);
    const proxyFeed = await subscribe(await t.token({ userId: proxyUser.id }), FEED);
    const someoneElse = split.offTeam.find((id) => id !== selfId && id !== proxied)!;
    await book(someoneElse);
    await book(selfId);
    await book(proxied);
    await patientFeed.waitFor(selfId === proxied ? 2 : 1);
    await proxyFeed.waitFor(1);
    await quiet();
    expect(patientFeed.errors).toEqual([]);
    expect(proxyFeed.errors).toEqual([]);
    expect(patientFeed.events.every((e) => e.patient?.id === selfId)).toBe(true);
    expect(proxyFeed.events.every((e) => e.patient?.id === proxied)).toBe(true);
    expect(proxyFeed.events.length).toBeGreaterThanOrEqual(1);
  });
});
