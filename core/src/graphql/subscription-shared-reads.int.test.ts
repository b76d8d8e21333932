/**
 * Issue 4 (per-delivery cost): the receivers of one event share its receiver-independent reads
 * (patient row, subject row, privacy consents) through the event's snapshot, and each still
 * gets exactly what its own rights allow.
 */
import { randomUUID } from 'node:crypto';
import {
  CareEventType,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  Role,
  type CareEventMessage,
} from '@caregraph/schema';
import { careTeamSplit, createUserWithRoles, type TestUser } from '../testing/access-fixtures.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { openSubscription, type TestSubscription } from '../testing/subscription-client.js';

type Delivered = {
  id: string;
  patient: { id: string; birthDate: string | null };
  subject: { id: string; valueString: string; securityLabels: string[] } | null;
};

const FEED = `subscription { careTeamFeed {
  id patient { id birthDate } subject { ... on Observation { id valueString securityLabels } }
} }`;

let t: TestHub;
/** The hub's SQL statements while a test records them. */
let recorded: string[] | undefined;
let patientId: string;
/** Two users on the same care teams (one practitioner record), with different rights. */
let physician: TestUser;
let coordinator: TestUser;
const opened: TestSubscription<Delivered>[] = [];

async function addObservation(securityLabels: string[]): Promise<string> {
  return t.inTenant(async (em) => {
    const observation = em.create(Observation, {
      tenantId: t.seed.tenantId,
      patient: em.getReference(Patient, patientId),
      status: ObservationStatus.FINAL,
      category: ObservationCategory.LABORATORY,
      code: { system: 'http://loinc.org', code: '0000-0', display: 'shared-reads test' },
      valueString: `value ${securityLabels.join(',') || 'plain'}`,
      effectiveAt: new Date(),
      securityLabels,
    });
    await em.flush();
    return observation.id;
  });
}

function labResult(observationId: string): CareEventMessage {
  return {
    id: randomUUID(),
    tenantId: t.seed.tenantId,
    type: CareEventType.LAB_RESULT_AVAILABLE,
    patientId,
    occurredAt: new Date().toISOString(),
    summary: 'Lab result available',
    subject: { type: 'Observation', id: observationId },
  };
}

async function feedOf(user: TestUser): Promise<TestSubscription<Delivered>> {
  const feed = await openSubscription<Delivered>(t, user.token, FEED);
  opened.push(feed);
  return feed;
}

/** What the user reads of the patient over HTTP (no event, no snapshot). */
async function birthDateSeenBy(user: TestUser): Promise<string | null> {
  const res = await t.graphql<{ patient: { birthDate: string | null } }>(
    'query($id: ID!) { patient(id: $id) { birthDate } }',
    { id: patientId },
    { token: user.token },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.patient.birthDate;
}

const quiet = () => new Promise((resolve) => setTimeout(resolve, 400));
const count = (fragment: string) => recorded!.filter((sql) => sql.includes(fragment)).length;
const SUBJECT_READ = 'select * from "observation"';
const PATIENT_READ = 'select * from "patient"';
const CONSENTS_READ = 'c.security_labels from consent c';
const RELATIONSHIP_CHECK = 'as care_team,';

beforeAll(async () => {
  t = await createTestHub({ onQuery: (sql) => recorded?.push(sql) });
  const split = await careTeamSplit(t);
  patientId = split.onTeam[0]!;
  physician = await createUserWithRoles(t, [Role.PHYSICIAN], split.practitionerId);
  coordinator = await createUserWithRoles(t, [Role.CARE_COORDINATOR], split.practitionerId);
}, 180_000);
afterEach(async () => {
  recorded = undefined;
  await Promise.all(opened.splice(0).map((feed) => feed.close()));
});
afterAll(async () => {
  await t?.stop();
});

it('gives two receivers of one event with different rights each exactly their own view', async () => {
  const sensitive = await addObservation(['PSY']);
  const plain = await addObservation([]);
  const physicianFeed = await feedOf(physician);
  const coordinatorFeed = await feedOf(coordinator);
  const sensitiveEvent = labResult(sensitive);
  const plainEvent = labResult(plain);
  await t.hub.events.publish(sensitiveEvent);
  await t.hub.events.publish(plainEvent);
  await physicianFeed.waitFor(2);
  await coordinatorFeed.waitFor(1);
  await quiet();

  const expectedPatient = (birthDate: string | null) => ({ id: patientId, birthDate });
  // The physician may see the PSY-labelled result; the coordinator's role withholds it, and
  // the event about it is not sent to them at all (as before the shared reads).
  expect(physicianFeed.errors).toEqual([]);
  expect(physicianFeed.events).toEqual([
    {
      id: sensitiveEvent.id,
      patient: expectedPatient(await birthDateSeenBy(physician)),
      subject: { id: sensitive, valueString: 'value PSY', securityLabels: ['PSY'] },
    },
    {
      id: plainEvent.id,
      patient: expectedPatient(await birthDateSeenBy(physician)),
      subject: { id: plain, valueString: 'value plain', securityLabels: [] },
    },
  ]);
  expect(coordinatorFeed.errors).toEqual([]);
  expect(coordinatorFeed.events).toEqual([
    {
      id: plainEvent.id,
      patient: expectedPatient(await birthDateSeenBy(coordinator)),
      subject: { id: plain, valueString: 'value plain', securityLabels: [] },
    },
  ]);
});

it('reads the patient, subject and care-team rows of an event once for all its receivers', async () => {
  const perReceiver = async (feeds: TestSubscription<Delivered>[]) => {
    const observation = await addObservation([]);
    const before = feeds.map((feed) => feed.events.length);
    recorded = [];
    await t.hub.events.publish(labResult(observation));
    for (const [index, feed] of feeds.entries()) await feed.waitFor(before[index]! + 1);
    await quiet();
    const result = {
      total: recorded.length,
      subject: count(SUBJECT_READ),
      patient: count(PATIENT_READ),
      consents: count(CONSENTS_READ),
      relationship: count(RELATIONSHIP_CHECK),
    };
    recorded = undefined;
    return result;
  };

  const one = await perReceiver([await feedOf(physician)]);
  // Care-team members need no relationship statement: the care-team read is per event.
  expect(one).toMatchObject({ subject: 1, patient: 1, consents: 1, relationship: 0 });

  const receivers = 4;
  const feeds = [...opened];
  for (let i = feeds.length; i < receivers; i++)
    feeds.push(await feedOf(i % 2 ? coordinator : physician));
  const many = await perReceiver(feeds);
  // The shared part runs once, the care-team decision included: nothing per receiver.
  expect(many).toMatchObject({ subject: 1, patient: 1, consents: 1, relationship: 0 });
  expect(many.total).toBeLessThan(receivers * one.total);
  for (const feed of feeds) expect(feed.errors).toEqual([]);
});
