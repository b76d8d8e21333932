/**
 * Issue #3: a subscriber off the care team receives none of 1,000 events about a patient they
 * have no relationship with, while a subscriber on that patient's team receives every one.
 */
import { CareEventType, Role, type CareEventMessage } from '@caregraph/schema';
import { randomUUID } from 'node:crypto';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { careTeamSplit, createUserWithRoles } from '../testing/access-fixtures.js';
import { openSubscription } from '../testing/subscription-client.js';

let t: TestHub;
beforeAll(async () => {
  t = await createTestHub();
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const EVENTS = 1_000;
const TYPES = [
  CareEventType.PATIENT_UPDATED,
  CareEventType.APPOINTMENT_BOOKED,
  CareEventType.TASK_ASSIGNED,
  CareEventType.CONSENT_CHANGED,
];

function event(patientId: string, index: number): CareEventMessage {
  const type = TYPES[index % TYPES.length]!;
  return {
    id: randomUUID(),
    tenantId: t.seed.tenantId,
    type,
    occurredAt: new Date().toISOString(),
    patientId,
    summary: `event ${index}`,
    subject: { type: 'Patient', id: patientId },
  };
}

it('delivers none of 1,000 foreign events to an outsider, all of them to the care team', async () => {
  const split = await careTeamSplit(t);
  const foreign = split.offTeam[0]!;
  const own = split.onTeam[0]!;
  const outsider = await createUserWithRoles(t, [Role.PHYSICIAN], split.practitionerId);
  const query = 'subscription { careTeamFeed { id summary patient { id } } }';
  const outsiderFeed = await openSubscription<{ summary: string; patient: { id: string } }>(
    t,
    outsider.token,
    query,
  );
  // The seeded physician is on every primary-care team, the foreign patient's included.
  const teamFeed = await openSubscription<{ summary: string }>(
    t,
    await t.token({ role: Role.PHYSICIAN }),
    query,
  );
  for (let index = 0; index < EVENTS; index++) await t.hub.events.publish(event(foreign, index));
  // A last event about the outsider's own patient: once it arrives, every earlier event has
  // been through the outsider's filter (one subscriber's events are handled in order).
  await t.hub.events.publish({ ...event(own, EVENTS), summary: 'sentinel' });
  await outsiderFeed.waitFor(1, 60_000);
  await teamFeed.waitFor(EVENTS + 1, 60_000);
  expect(outsiderFeed.events.map((e) => e.summary)).toEqual(['sentinel']);
  expect(outsiderFeed.errors).toEqual([]);
  expect(teamFeed.events.filter((e) => e.summary !== 'sentinel')).toHaveLength(EVENTS);
  await outsiderFeed.close();
  await teamFeed.close();
}, 180_000);
