/**
 * Issue 6, through a real hub (the SDK test kit): appointment reminders planned from the tenant's
 * rules as appointments are booked, moved and cancelled (the hub's durable event subscription),
 * the rules managed over GraphQL, and the "plan upcoming appointments" sweep.
 */
import { randomUUID } from 'node:crypto';
import { Role } from '@caregraph/schema';
import { withConfig } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import { eventually } from '@caregraph/core/testing';
import { createEngagementPlugin, type EngagementControls } from './index.js';
import { bookAppointment } from './testing/book-appointment.js';

const config = { tenantId: randomUUID(), integrationUserId: randomUUID() };
const HOUR = 3_600_000;
const nurse = { role: Role.NURSE };

const FIRST_PATIENT = `{ patients(first: 1) { edges { node { id } } } practitioners(first: 1) { edges { node { id } } } }`;
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
let controls: EngagementControls;

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
  const id = await bookAppointment(hub, nurse, { patientId, practitionerId, start });
  return { id, start };
}

beforeAll(async () => {
  hub = await createTestHub({
    plugins: [withConfig(createEngagementPlugin({ onStart: (c) => (controls = c) }), config)],
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

describe('engagement rules over GraphQL', () => {
  const RULES = `query($key: String) {
    engagementRules(key: $key) { key version kind active supersededAt definition { purpose templateKey channels offsets includeCaregivers allowedHours { start end } } }
  }`;
  const SAVE = `mutation($input: SaveEngagementRuleInput!) {
    saveEngagementRule(input: $input) { key version kind definition { offsets allowedHours { start end } } }
  }`;
  const admin = { role: Role.ADMIN };
  interface Rule {
    key: string;
    version: number;
    supersededAt: string | null;
    definition: { offsets: string[]; allowedHours: { start: string; end: string } | null };
  }

  it('lists the default rules a new tenant starts with', async () => {
    const res = await hub.graphql<{ engagementRules: Rule[] }>(RULES, {}, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data!.engagementRules.map((r) => [r.key, r.version])).toEqual([
      ['adherence-check-in', 1],
      ['appointment-confirmation', 1],
      ['appointment-reminders', 1],
      ['campaigns', 1],
      ['care-gap-outreach', 1],
      ['care-plan-update', 1],
      ['lab-result-available', 1],
      ['no-show-follow-up', 1],
      ['post-visit-survey', 1],
      ['refill-due', 1],
    ]);
  });

  it('saves a new version, supersedes the old one and keeps both in the history', async () => {
    const input = {
      key: 'wellness-reminders',
      kind: 'APPOINTMENT_REMINDER',
      purpose: 'WELLNESS',
      templateKey: 'appointment-reminder',
      channels: ['EMAIL'],
      offsets: ['P3D'],
      active: false,
    };
    const first = await hub.graphql<{ saveEngagementRule: Rule }>(SAVE, { input }, admin);
    expect(first.errors).toBeUndefined();
    expect(first.data!.saveEngagementRule.version).toBe(1);
    const second = await hub.graphql<{ saveEngagementRule: Rule }>(
      SAVE,
      {
        input: {
          ...input,
          offsets: ['P3D', 'PT6H'],
          allowedHours: { start: '09:00', end: '18:00' },
        },
      },
      admin,
    );
    expect(second.data!.saveEngagementRule).toMatchObject({
      version: 2,
      definition: { offsets: ['P3D', 'PT6H'], allowedHours: { start: '09:00', end: '18:00' } },
    });
    const history = await hub.graphql<{ engagementRules: Rule[] }>(
      RULES,
      { key: 'wellness-reminders' },
      admin,
    );
    expect(history.data!.engagementRules.map((r) => [r.version, r.supersededAt === null])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it.each([
    [{ offsets: ['P1M'] }, ['input', 'offsets', '0']],
    [{ allowedHours: { start: '25:00', end: '18:00' } }, ['input', 'allowedHours', 'start']],
    [{ allowedHours: { start: '21:00', end: '08:00' } }, ['input', 'allowedHours', 'start']],
    [{ channels: [] }, ['input', 'channels']],
    [{ key: 'Not A Key' }, ['input', 'key']],
  ])('answers BAD_USER_INPUT with the field path for %j', async (change, path) => {
    const input = {
      key: 'bad-rule',
      kind: 'APPOINTMENT_REMINDER',
      purpose: 'CARE_REMINDERS',
      templateKey: 'appointment-reminder',
      channels: ['SMS'],
      ...change,
    };
    const res = await hub.graphql(SAVE, { input }, admin);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.errors?.[0]?.extensions)).toContain(JSON.stringify(path));
  });

  it('lets only admins change rules, and care coordinators read them', async () => {
    const input = {
      key: 'nurse-rule',
      kind: 'APPOINTMENT_REMINDER',
      purpose: 'CARE_REMINDERS',
      templateKey: 'appointment-reminder',
      channels: ['SMS'],
    };
    const denied = await hub.graphql(SAVE, { input }, nurse);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = await hub.graphql(RULES, {}, { role: Role.CARE_COORDINATOR });
    expect(read.errors).toBeUndefined();
    const nurseRead = await hub.graphql(RULES, {}, nurse);
    expect(nurseRead.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the "plan upcoming appointments" sweep', () => {
  const SAVE = `mutation($input: SaveEngagementRuleInput!) { saveEngagementRule(input: $input) { version } }`;

  it("plans a rule's new offset for the booked appointments ahead, once, and none for a cancelled one", async () => {
    const booked = await book(3);
    const cancelled = await book(4);
    await eventually(async () => ((await messagesAbout(booked.id)).length >= 3 ? true : undefined));
    await eventually(async () =>
      (await messagesAbout(cancelled.id)).length >= 3 ? true : undefined,
    );
    expect((await hub.graphql(CANCEL, { id: cancelled.id }, nurse)).errors).toBeUndefined();
    await eventually(async () =>
      (await messagesAbout(cancelled.id)).every((m) => m.status === 'CANCELLED') ? true : undefined,
    );
    const saved = await hub.graphql<{ saveEngagementRule: { version: number } }>(
      SAVE,
      {
        input: {
          key: 'appointment-confirmation',
          kind: 'CONFIRMATION_REQUEST',
          purpose: 'CARE_REMINDERS',
          templateKey: 'appointment-confirmation',
          channels: ['SMS', 'EMAIL'],
          offsets: ['PT48H', 'PT36H'],
        },
      },
      { role: Role.ADMIN },
    );
    expect(saved.data!.saveEngagementRule.version).toBe(2);

    const first = await controls.planUpcoming();
    expect(first.planned).toBeGreaterThanOrEqual(1);
    const messages = await messagesAbout(booked.id);
    const confirmations = messages
      .filter((m) => m.ruleKey === 'appointment-confirmation')
      .map((m) => [m.trigger, m.ruleVersion, m.status])
      .sort();
    // The 48-hour request stays the one planned at booking (version 1): the key has no version.
    expect(confirmations).toEqual([
      ['PT36H', 2, 'SCHEDULED'],
      ['PT48H', 1, 'SCHEDULED'],
    ]);
    expect(messages.find((m) => m.trigger === 'PT36H')!.dueAt).toBe(
      new Date(booked.start.getTime() - 36 * HOUR).toISOString(),
    );
    expect(messages).toHaveLength(4);
    const afterCancel = await messagesAbout(cancelled.id);
    expect(afterCancel.filter((m) => m.status !== 'CANCELLED')).toEqual([]);

    const again = await controls.planUpcoming();
    expect(again).toMatchObject({ planned: 0 });
    expect(again.appointments).toBe(first.appointments);
    expect(await messagesAbout(booked.id)).toHaveLength(4);
  });
});
