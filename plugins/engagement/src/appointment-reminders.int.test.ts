/**
 * Issue 6: appointment reminders are planned from the tenant's rules as appointments are booked
 * and cancelled, through a real hub (the SDK test kit) and its durable event subscription.
 */
import { randomUUID } from 'node:crypto';
import { Role } from '@caregraph/schema';
import { withConfig } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import { eventually } from '@caregraph/core/testing';
import { createEngagementPlugin } from './index.js';

const config = { tenantId: randomUUID(), integrationUserId: randomUUID() };
const HOUR = 3_600_000;
const nurse = { role: Role.NURSE };

const FIRST_PATIENT = `{ patients(first: 1) { edges { node { id } } } practitioners(first: 1) { edges { node { id } } } }`;
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id start } }`;
const CANCEL = `mutation($id: ID!) { cancelAppointment(id: $id, reason: "patient called") { id status } }`;
const RESCHEDULE = `mutation($id: ID!, $input: RescheduleAppointmentInput!) { rescheduleAppointment(id: $id, input: $input) { id } }`;
const MESSAGES = `query($patientId: ID!, $first: Int) {
  scheduledMessages(patientId: $patientId, first: $first) {
    edges { node { about trigger dueAt expiresAt status reasonCode recipientType ruleKey ruleVersion purpose } }
  }
}`;

interface Message {
  about: string;
  trigger: string;
  dueAt: string;
  expiresAt: string;
  status: string;
  reasonCode: string | null;
  recipientType: string;
  ruleKey: string;
  ruleVersion: number;
  purpose: string;
}

let hub: PluginTestHub;
let patientId: string;
let practitionerId: string;
let slot = 0;

async function messagesAbout(appointmentId: string): Promise<Message[]> {
  const res = await hub.graphql<{ scheduledMessages: { edges: { node: Message }[] } }>(
    MESSAGES,
    { patientId, first: 100 },
    nurse,
  );
  expect(res.errors).toBeUndefined();
  return res
    .data!.scheduledMessages.edges.map((e) => e.node)
    .filter((m) => m.about === `Appointment/${appointmentId}` && m.recipientType === 'Patient');
}

/** Books an appointment `daysAhead` from now, at a slot no other test uses. */
async function book(daysAhead: number): Promise<{ id: string; start: Date }> {
  slot += 1;
  const start = new Date(Date.now() + daysAhead * 24 * HOUR + slot * HOUR);
  start.setUTCMinutes(0, 0, 0);
  const res = await hub.graphql<{ bookAppointment: { id: string } }>(
    BOOK,
    {
      input: {
        patientId,
        practitionerId,
        start: start.toISOString(),
        end: new Date(start.getTime() + HOUR / 2).toISOString(),
      },
    },
    nurse,
  );
  expect(res.errors).toBeUndefined();
  return { id: res.data!.bookAppointment.id, start };
}

beforeAll(async () => {
  hub = await createTestHub({
    plugins: [withConfig(createEngagementPlugin(), config)],
    seed: config,
  });
  const res = await hub.graphql<{
    patients: { edges: { node: { id: string } }[] };
    practitioners: { edges: { node: { id: string } }[] };
  }>(FIRST_PATIENT, {}, nurse);
  patientId = res.data!.patients.edges[0]!.node.id;
  practitionerId = res.data!.practitioners.edges[0]!.node.id;
});

afterAll(() => hub?.stop());

it('plans the default reminders (7 days, 24 and 2 hours) and the 48-hour confirmation request', async () => {
  const { id, start } = await book(10);
  const planned = await eventually(async () => {
    const messages = await messagesAbout(id);
    return messages.length >= 4 ? messages : undefined;
  });
  const due = (trigger: string) => planned.find((m) => m.trigger === trigger)?.dueAt;
  expect(planned.map((m) => m.trigger).sort()).toEqual(['P7D', 'PT24H', 'PT2H', 'PT48H']);
  expect(due('P7D')).toBe(new Date(start.getTime() - 7 * 24 * HOUR).toISOString());
  expect(due('PT24H')).toBe(new Date(start.getTime() - 24 * HOUR).toISOString());
  expect(due('PT2H')).toBe(new Date(start.getTime() - 2 * HOUR).toISOString());
  expect(due('PT48H')).toBe(new Date(start.getTime() - 48 * HOUR).toISOString());
  for (const m of planned) {
    expect(m).toMatchObject({ status: 'SCHEDULED', purpose: 'CARE_REMINDERS', ruleVersion: 1 });
    expect(m.expiresAt).toBe(start.toISOString());
  }
  expect(new Set(planned.map((m) => m.ruleKey))).toEqual(
    new Set(['appointment-reminders', 'appointment-confirmation']),
  );
});

it('leaves out the reminders whose time has passed when the visit is booked late', async () => {
  const { id } = await book(1);
  const planned = await eventually(async () => {
    const messages = await messagesAbout(id);
    return messages.length >= 2 ? messages : undefined;
  });
  // Booked 25–26 hours ahead: the 24- and 2-hour reminders only (no 7-day one, no 48-hour request).
  expect(planned.map((m) => m.trigger).sort()).toEqual(['PT24H', 'PT2H']);
});

it('cancels the pending messages of a cancelled appointment', async () => {
  const { id } = await book(12);
  await eventually(async () => ((await messagesAbout(id)).length >= 4 ? true : undefined));
  const res = await hub.graphql(CANCEL, { id }, nurse);
  expect(res.errors).toBeUndefined();
  const cancelled = await eventually(async () => {
    const messages = await messagesAbout(id);
    return messages.every((m) => m.status === 'CANCELLED') ? messages : undefined;
  });
  expect(cancelled).toHaveLength(4);
  for (const m of cancelled) expect(m.reasonCode).toBe('APPOINTMENT_CANCELLED');
});

it('moves the pending messages of a rescheduled appointment to its new time', async () => {
  const { id, start } = await book(14);
  await eventually(async () => ((await messagesAbout(id)).length >= 4 ? true : undefined));
  const later = new Date(start.getTime() + 2 * 24 * HOUR);
  const res = await hub.graphql(
    RESCHEDULE,
    {
      id,
      input: {
        start: later.toISOString(),
        end: new Date(later.getTime() + HOUR / 2).toISOString(),
      },
    },
    nurse,
  );
  expect(res.errors).toBeUndefined();
  const messages = await eventually(async () => {
    const all = await messagesAbout(id);
    return all.length >= 8 ? all : undefined;
  });
  const cancelled = messages.filter((m) => m.status === 'CANCELLED');
  const pending = messages.filter((m) => m.status === 'SCHEDULED');
  expect(cancelled).toHaveLength(4);
  for (const m of cancelled) {
    expect(m.reasonCode).toBe('APPOINTMENT_CHANGED');
    expect(m.expiresAt).toBe(start.toISOString());
  }
  expect(pending.map((m) => m.trigger).sort()).toEqual(['P7D', 'PT24H', 'PT2H', 'PT48H']);
  for (const m of pending) expect(m.expiresAt).toBe(later.toISOString());
  expect(pending.find((m) => m.trigger === 'PT2H')!.dueAt).toBe(
    new Date(later.getTime() - 2 * HOUR).toISOString(),
  );
});

it('refuses a malformed patient id with BAD_USER_INPUT at the argument', async () => {
  const res = await hub.graphql(MESSAGES, { patientId: 'not-an-id' }, nurse);
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(JSON.stringify(res.errors)).toContain('patientId');
});

it("shows a patient's messages only to those who may read their communications", async () => {
  const res = await hub.graphql(MESSAGES, { patientId }, { anonymous: true });
  expect(res.data?.scheduledMessages ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});
