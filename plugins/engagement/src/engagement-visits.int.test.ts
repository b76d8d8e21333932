/**
 * Issue 6, follow-ups: a missed appointment gets rebooking outreach (cancelled once the patient
 * books again), a visit that took place gets the satisfaction survey after the rule's delay, and
 * the patient's SMS answer is stored on them as a survey response, readable under core's rules
 * for their communications (audited); staff entries are validated.
 */
import { randomUUID } from 'node:crypto';
import { Role } from '@caregraph/schema';
import { withConfig } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub, type TestCaller } from '@caregraph/plugin-sdk/testing';
import { eventually } from '@caregraph/core/testing';
import { twilioSignature } from './channels/index.js';
import { createEngagementPlugin, type Clock } from './index.js';
import { bookAppointment } from './testing/book-appointment.js';
import { startSmsApiPeer, type SmsApiPeer } from './testing/sms-api-peer.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ZONE = 'America/New_York';
const nurse = { role: Role.NURSE };
const frontDesk = { role: Role.FRONT_DESK };
const NUMBER = '+1 (555) 010-3000';

const clock: Clock & { at: Date } = { at: new Date(), now: () => clock.at };

const PEOPLE = `{ patients(first: 60) { edges { node { id } } } practitioners(first: 1) { edges { node { id } } } }`;
const ME = `{ me { patient { id } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePatientInput!) { updatePatient(id: $id, input: $input) { id } }`;
const SET_STATUS = `mutation($id: ID!, $status: AppointmentStatus!) { setAppointmentStatus(id: $id, status: $status) { id } }`;
const MESSAGES = `query($patientId: ID!) {
  scheduledMessages(patientId: $patientId, first: 100) {
    edges { node { about ruleKey trigger dueAt expiresAt status reasonCode } }
  }
}`;
const RESPONSES = `query($patientId: ID!) {
  surveyResponses(patientId: $patientId, first: 10) {
    edges { node { id score comment channel appointmentId scheduledMessageId respondentType } }
    pageInfo { hasNextPage }
  }
}`;
const SUMMARY = `query($id: ID!) {
  patient(id: $id) { surveySummary { responses promoters passives detractors averageScore nps } }
}`;
const RECORD = `mutation($input: RecordSurveyResponseInput!) {
  recordSurveyResponse(input: $input) { id score comment channel }
}`;
const AUDIT = `query($patientId: ID!) {
  auditEvents(patientId: $patientId, first: 100) { edges { node { action type entity } } }
}`;

interface Message {
  about: string;
  ruleKey: string;
  trigger: string;
  dueAt: string;
  expiresAt: string | null;
  status: string;
  reasonCode: string | null;
}

const SMS_TOKEN = 'sms-auth-token-for-the-visit-test';
const WEBHOOK_URL = 'https://hub.example/plugins/engagement/sms/webhook';

/** The SMS provider's API: records each message request and answers with a new sid. */
let smsApi: SmsApiPeer;

function postReply(body: string) {
  const params = new URLSearchParams({
    MessageSid: `SMin${randomUUID()}`,
    From: NUMBER,
    Body: body,
  });
  return hub.fetch('/plugins/engagement/sms/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(WEBHOOK_URL, params, SMS_TOKEN),
    },
    body: params.toString(),
  });
}

let hub: PluginTestHub;
let patientId: string; // on the nurse's care team, not the demo patient user's own record
let offTeamId: string; // a patient the nurse has no care relationship with
let practitionerId: string;

async function gql<T>(query: string, variables: Record<string, unknown>, as: TestCaller) {
  const res = await hub.graphql<T>(query, variables, as);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

async function messagesAbout(appointmentId: string): Promise<Message[]> {
  const data = await gql<{ scheduledMessages: { edges: { node: Message }[] } }>(
    MESSAGES,
    { patientId },
    nurse,
  );
  return data.scheduledMessages.edges
    .map((e) => e.node)
    .filter((m) => m.about === `Appointment/${appointmentId}`);
}

/** Waits for the message of `trigger` about the appointment to satisfy `ok`. */
function waitForMessage(appointmentId: string, trigger: string, ok: (m: Message) => boolean) {
  return eventually(async () => {
    const message = (await messagesAbout(appointmentId)).find((m) => m.trigger === trigger);
    return message && ok(message) ? message : undefined;
  });
}

async function setStatus(id: string, ...statuses: string[]) {
  for (const status of statuses) await gql(SET_STATUS, { id, status }, frontDesk);
}

/** A day at least `days` ahead, at `hourUtc`:00 UTC (15:00 UTC is 10:00 in New York). */
function dayAhead(days: number, hourUtc: number): Date {
  const day = new Date(Date.now() + days * 24 * HOUR);
  day.setUTCHours(hourUtc, 0, 0, 0);
  return day;
}

/** Books a visit at `start` (clock at the real now) and waits for its reminders. */
async function book(start: Date): Promise<string> {
  clock.at = new Date();
  const id = await bookAppointment(hub, nurse, { patientId, practitionerId, start });
  await eventually(async () => ((await messagesAbout(id)).length > 0 ? true : undefined));
  return id;
}

// Each test's visit lies weeks after the previous one's (SMS caps: 1 a day, 3 a week), and the
// clock moves past a visit before its status is set, so its reminders expire unsent. Visits are
// more than 45 days ahead: the demo clinic's own schedule fills the practitioner's next 45 days.

beforeAll(async () => {
  smsApi = await startSmsApiPeer();
  const smsPort = smsApi.port;
  const config = {
    tenantId: randomUUID(),
    integrationUserId: randomUUID(),
    defaultTimeZone: ZONE,
    practice: { name: 'Good Health Clinic', phone: '+1 555 0100' },
    channels: {
      sms: {
        baseUrl: `http://127.0.0.1:${smsPort}/2010-04-01`,
        accountId: 'AC0123',
        authToken: SMS_TOKEN,
        from: '+15550000000',
        webhookUrl: WEBHOOK_URL,
      },
    },
    dispatch: { pollMs: 50 },
  };
  hub = await createTestHub({
    plugins: [withConfig(createEngagementPlugin({ clock }), config)],
    seed: config,
  });
  const people = await gql<{
    patients: { edges: { node: { id: string } }[] };
    practitioners: { edges: { node: { id: string } }[] };
  }>(PEOPLE, {}, nurse);
  practitionerId = people.practitioners.edges[0]!.node.id;
  const own = (
    await gql<{ me: { patient: { id: string } | null } }>(ME, {}, { role: Role.PATIENT })
  ).me.patient?.id;
  const onTeam: string[] = [];
  const offTeam: string[] = [];
  for (const { node } of people.patients.edges) {
    if (onTeam.some((id) => id !== own) && offTeam.length > 0) break;
    const res = await hub.graphql(MESSAGES, { patientId: node.id }, nurse);
    if (!res.errors) onTeam.push(node.id);
    else if (res.errors[0]?.extensions?.code === 'FORBIDDEN') offTeam.push(node.id);
  }
  patientId = onTeam.find((id) => id !== own)!;
  offTeamId = offTeam[0]!;
  expect([patientId, offTeamId]).toEqual([expect.any(String), expect.any(String)]);
  await gql(
    UPDATE,
    {
      id: patientId,
      input: {
        timeZone: ZONE,
        preferredLanguage: 'en',
        telecom: [{ system: 'SMS', value: NUMBER }],
      },
    },
    nurse,
  );
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await smsApi?.close();
});

it('texts rebooking outreach an hour after a missed visit, with the booking link, once', async () => {
  const start = dayAhead(50, 15);
  const id = await book(start);
  const end = new Date(start.getTime() + 30 * MINUTE);
  clock.at = new Date(end.getTime() + 15 * MINUTE);
  await setStatus(id, 'NO_SHOW');
  const planned = await waitForMessage(id, 'no-show', (m) => m.status === 'SCHEDULED');
  expect(planned).toMatchObject({
    ruleKey: 'no-show-follow-up',
    dueAt: new Date(end.getTime() + HOUR).toISOString(),
  });
  const before = smsApi.requests.length;

  clock.at = new Date(end.getTime() + HOUR);
  await waitForMessage(id, 'no-show', (m) => m.status === 'SENT');
  expect(smsApi.requests).toHaveLength(before + 1);
  const body = smsApi.requests.at(-1)!.get('Body')!;
  expect(body).toContain('we missed');
  expect(body).toContain('https://portal.example.org/book');
  // The reminders of the missed visit went unsent: expired (skipped) or withdrawn by the no-show.
  const reminders = (await messagesAbout(id)).filter((m) => m.trigger !== 'no-show');
  expect(reminders.length).toBeGreaterThan(0);
  for (const reminder of reminders) expect(['SKIPPED', 'CANCELLED']).toContain(reminder.status);

  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(smsApi.requests).toHaveLength(before + 1);
});

it('cancels the rebooking outreach once the patient books again, before or after the no-show', async () => {
  const start = dayAhead(60, 15);
  const missed = await book(start);
  clock.at = new Date(start.getTime() + 40 * MINUTE);
  await setStatus(missed, 'NO_SHOW');
  await waitForMessage(missed, 'no-show', (m) => m.status === 'SCHEDULED');

  const rebooked = await bookAppointment(hub, nurse, {
    patientId,
    practitionerId,
    start: dayAhead(90, 15),
  });
  const cancelled = await waitForMessage(missed, 'no-show', (m) => m.status === 'CANCELLED');
  expect(cancelled.reasonCode).toBe('REBOOKED');
  // The new visit's own reminders are planned as usual.
  expect((await messagesAbout(rebooked)).length).toBeGreaterThan(0);

  // Booked again before the no-show is recorded: the outreach is withdrawn as it is planned.
  const next = dayAhead(70, 15);
  const missedAgain = await book(next);
  await bookAppointment(hub, nurse, { patientId, practitionerId, start: dayAhead(100, 15) });
  clock.at = new Date(next.getTime() + 40 * MINUTE);
  await setStatus(missedAgain, 'NO_SHOW');
  const withdrawn = await waitForMessage(missedAgain, 'no-show', (m) => m.status === 'CANCELLED');
  expect(withdrawn.reasonCode).toBe('REBOOKED');
});

it('asks for the survey two hours after a visit; a "9 thanks" reply is stored on the patient', async () => {
  const start = dayAhead(120, 15);
  const id = await book(start);
  const end = new Date(start.getTime() + 30 * MINUTE);
  clock.at = new Date(end.getTime() + 10 * MINUTE);
  await setStatus(id, 'ARRIVED', 'FULFILLED');
  const planned = await waitForMessage(id, 'post-visit', (m) => m.status === 'SCHEDULED');
  expect(planned).toMatchObject({
    ruleKey: 'post-visit-survey',
    dueAt: new Date(end.getTime() + 2 * HOUR).toISOString(),
  });
  const before = smsApi.requests.length;

  clock.at = new Date(end.getTime() + 2 * HOUR - MINUTE);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await messagesAbout(id)).find((m) => m.trigger === 'post-visit')!.status).toBe(
    'SCHEDULED',
  );
  expect(smsApi.requests).toHaveLength(before);

  clock.at = new Date(end.getTime() + 2 * HOUR);
  await waitForMessage(id, 'post-visit', (m) => m.status === 'SENT');
  expect(smsApi.requests).toHaveLength(before + 1);
  expect(smsApi.requests.at(-1)!.get('Body')).toMatch(/number from 0 .* to 10/);

  const reply = await postReply('9 thanks');
  expect(reply.status).toBe(200);
  const answered = await waitForMessage(id, 'post-visit', (m) => m.status === 'REPLIED');
  expect(answered.reasonCode).toBe('SURVEY_ANSWERED');

  const data = await gql<{
    surveyResponses: { edges: { node: Record<string, unknown> }[]; pageInfo: unknown };
  }>(RESPONSES, { patientId }, nurse);
  expect(data.surveyResponses.edges.map((e) => e.node)).toEqual([
    {
      id: expect.any(String),
      score: 9,
      comment: 'thanks',
      channel: 'SMS',
      appointmentId: id,
      scheduledMessageId: expect.any(String),
      respondentType: 'Patient',
    },
  ]);
  const summary = await gql<{ patient: { surveySummary: unknown } }>(
    SUMMARY,
    { id: patientId },
    nurse,
  );
  expect(summary.patient.surveySummary).toEqual({
    responses: 1,
    promoters: 1,
    passives: 0,
    detractors: 0,
    averageScore: 9,
    nps: 100,
  });

  // A second answer to the same survey is kept as a message only: one response per visit.
  expect((await postReply('10')).status).toBe(200);
  const again = await gql<{ surveyResponses: { edges: unknown[] } }>(
    RESPONSES,
    { patientId },
    nurse,
  );
  expect(again.surveyResponses.edges).toHaveLength(1);

  // Written and read, audited (ids only).
  const responseId = data.surveyResponses.edges[0]!.node.id as string;
  const audit = await hub.graphql<{
    auditEvents: { edges: { node: { action: string; type: string; entity: string } }[] };
  }>(AUDIT, { patientId }, { role: Role.ADMIN }, { 'x-purpose-of-use': 'HCOMPL' });
  expect(audit.errors).toBeUndefined();
  const entries = audit.data!.auditEvents.edges.map((e) => e.node);
  for (const action of ['C', 'R'])
    expect(entries).toContainEqual({
      action,
      type: 'SurveyResponse',
      entity: `SurveyResponse/${responseId}`,
    });
});

it('lets no one without a care relationship read survey answers, nor a role without the grant', async () => {
  // The demo patient's account reads only its own record; front desk may not read communications.
  for (const as of [{ role: Role.PATIENT }, frontDesk]) {
    const res = await hub.graphql(RESPONSES, { patientId }, as);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.data?.surveyResponses ?? null).toBeNull();
  }
  const offTeam = await hub.graphql(RESPONSES, { patientId: offTeamId }, nurse);
  expect(offTeam.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const summary = await gql<{ patient: { surveySummary: unknown } }>(
    SUMMARY,
    { id: offTeamId },
    nurse,
  );
  expect(summary.patient.surveySummary).toBeNull();
  const write = await hub.graphql(
    RECORD,
    { input: { patientId: offTeamId, score: 8, channel: 'PHONE' } },
    nurse,
  );
  expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('records an answer staff enter, and refuses a score of 11 with the field path', async () => {
  const bad = await hub.graphql(
    RECORD,
    { input: { patientId, score: 11, channel: 'PHONE' } },
    nurse,
  );
  expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(bad.errors?.[0]?.extensions)).toContain(JSON.stringify(['input', 'score']));

  const saved = await gql<{ recordSurveyResponse: unknown }>(
    RECORD,
    { input: { patientId, score: 4, comment: ' Long wait ', channel: 'PHONE' } },
    nurse,
  );
  expect(saved.recordSurveyResponse).toEqual({
    id: expect.any(String),
    score: 4,
    comment: 'Long wait',
    channel: 'PHONE',
  });
  const summary = await gql<{ patient: { surveySummary: { responses: number; nps: number } } }>(
    SUMMARY,
    { id: patientId },
    nurse,
  );
  expect(summary.patient.surveySummary).toMatchObject({ responses: 2, nps: 0 });
});
