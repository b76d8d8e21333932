/**
 * Issue 6, managing engagement through GraphQL on a real hub (the SDK test kit): tenant templates
 * (PHI findings, a Spanish template chosen for a Spanish-preferring patient, a preview with the
 * patient's data, refused without a care relationship), staff opt-outs that take effect at once,
 * and an in-app message reaching the patient's own subscription over a real WebSocket.
 */
import { randomUUID } from 'node:crypto';
import { Role } from '@caregraph/schema';
import { withConfig } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import { eventually, openSubscription } from '@caregraph/core/testing';
import { createEngagementPlugin, type Clock } from './index.js';
import { bookAppointment } from './testing/book-appointment.js';
import { startSmtpServer, type SmtpPeer } from './testing/smtp-peer.js';

const HOUR = 3_600_000;
const ZONE = 'America/New_York';
const nurse = { role: Role.NURSE };
const admin = { role: Role.ADMIN };
const frontDesk = { role: Role.FRONT_DESK };
const patientUser = { role: Role.PATIENT };

const clock: Clock & { at: Date } = { at: new Date(), now: () => clock.at };

const PATIENTS = `{ patients(first: 100) { edges { node { id } } } practitioners(first: 1) { edges { node { id } } } }`;
const ME = `{ me { patient { id } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePatientInput!) { updatePatient(id: $id, input: $input) { id } }`;
const SAVE_TEMPLATE = `mutation($input: SaveEngagementTemplateInput!) {
  saveEngagementTemplate(input: $input) { template { key channel language version } findings { code severity part term } }
}`;
const TEMPLATES = `query($key: String) { engagementTemplates(key: $key) { key channel language version text } }`;
const PREVIEW = `query($patientId: ID!, $key: String!, $channel: String!, $language: String) {
  previewEngagementMessage(patientId: $patientId, templateKey: $key, channel: $channel, language: $language) {
    language builtIn subject text sampleAppointment findings { code }
  }
}`;
const OPT_OUT = `mutation($input: EngagementOptOutInput!) { recordEngagementOptOut(input: $input) { consentId channel purpose source } }`;
const END_OPT_OUT = `mutation($input: EngagementOptOutInput!) { revokeEngagementOptOut(input: $input) { consentId } }`;
const OPT_OUTS = `query($patientId: ID!) { engagementOptOuts(patientId: $patientId) { channel purpose source } }`;
const SAVE_RULE = `mutation($input: SaveEngagementRuleInput!) { saveEngagementRule(input: $input) { version } }`;
const MESSAGES = `query($patientId: ID!) {
  scheduledMessages(patientId: $patientId, first: 100) { edges { node { about trigger status channel reasonCode communicationId } } }
}`;

interface Message {
  about: string;
  trigger: string;
  status: string;
  channel: string | null;
  reasonCode: string | null;
  communicationId: string | null;
}

let smtp: SmtpPeer;
let hub: PluginTestHub;
let spanishPatient: string; // on the nurse's care team
let unrelatedPatient: string; // not on it
let practitionerId: string;

async function messages(patientId: string, appointmentId: string): Promise<Message[]> {
  const res = await hub.graphql<{ scheduledMessages: { edges: { node: Message }[] } }>(
    MESSAGES,
    { patientId },
    nurse,
  );
  expect(res.errors).toBeUndefined();
  return res
    .data!.scheduledMessages.edges.map((e) => e.node)
    .filter((m) => m.about === `Appointment/${appointmentId}`);
}

async function statusOf(patientId: string, appointmentId: string, trigger: string) {
  return (await messages(patientId, appointmentId)).find((m) => m.trigger === trigger);
}

function dayAhead(days: number, hourUtc: number): Date {
  const day = new Date(Date.now() + days * 24 * HOUR);
  day.setUTCHours(hourUtc, 0, 0, 0);
  return day;
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

beforeAll(async () => {
  smtp = await startSmtpServer();
  const config = {
    tenantId: randomUUID(),
    integrationUserId: randomUUID(),
    defaultTimeZone: ZONE,
    practice: { name: 'Good Health Clinic', phone: '+1 555 0100' },
    channels: {
      email: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none' as const,
        from: 'Good Health Clinic <noreply@clinic.example>',
      },
      inApp: true,
    },
    dispatch: { pollMs: 50 },
  };
  hub = await createTestHub({
    plugins: [withConfig(createEngagementPlugin({ clock }), config)],
    seed: config,
  });
  const mine = await hub.graphql<{
    patients: { edges: { node: { id: string } }[] };
    practitioners: { edges: { node: { id: string } }[] };
  }>(PATIENTS, {}, nurse);
  // Registered at the front desk: on no care team yet, so the nurse has no care relationship.
  const created = await hub.graphql<{ createPatient: { id: string } }>(
    `mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }`,
    { input: { names: [{ family: 'Nueva', given: ['Ana'] }], birthDate: '1980-02-03' } },
    frontDesk,
  );
  expect(created.errors).toBeUndefined();
  unrelatedPatient = created.data!.createPatient.id;
  spanishPatient = mine.data!.patients.edges[0]!.node.id;
  practitionerId = mine.data!.practitioners.edges[0]!.node.id;
  const update = await hub.graphql(
    UPDATE,
    {
      id: spanishPatient,
      input: {
        timeZone: ZONE,
        preferredLanguage: 'es-MX',
        telecom: [{ system: 'EMAIL', value: 'paciente@mail.example' }],
      },
    },
    nurse,
  );
  expect(update.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await smtp?.close();
});

it('saves a template with a sensitive word, flagged; refuses a clinical placeholder at its field', async () => {
  const flagged = await hub.graphql<{
    saveEngagementTemplate: {
      template: { version: number };
      findings: { code: string; term?: string }[];
    };
  }>(
    SAVE_TEMPLATE,
    {
      input: {
        key: 'appointment-reminder',
        channel: 'email',
        language: 'es',
        purpose: 'care-reminders',
        subject: 'Recordatorio de {{practice.name}}',
        text: 'Hola {{recipient.givenName}}: le esperamos {{appointment.start}} en la clínica de diabetes.',
      },
    },
    admin,
  );
  expect(flagged.errors).toBeUndefined();
  expect(flagged.data!.saveEngagementTemplate.template.version).toBe(1);
  expect(flagged.data!.saveEngagementTemplate.findings).toEqual([
    expect.objectContaining({ code: 'PHI_SENSITIVE_TERM', severity: 'warning', part: 'text' }),
  ]);

  const refused = await hub.graphql(
    SAVE_TEMPLATE,
    {
      input: {
        key: 'appointment-reminder',
        channel: 'email',
        language: 'es',
        purpose: 'care-reminders',
        text: 'Su resultado: {{observation.value}}',
      },
    },
    admin,
  );
  expect(refused.errors![0]!.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    invalidFields: [expect.objectContaining({ path: ['input', 'text'] })],
  });
  const saved = await hub.graphql<{ engagementTemplates: { version: number }[] }>(
    TEMPLATES,
    { key: 'appointment-reminder' },
    admin,
  );
  expect(saved.data!.engagementTemplates).toEqual([expect.objectContaining({ version: 1 })]);
});

it("previews the tenant's Spanish template with the patient's name, and refuses a user without a care relationship", async () => {
  const res = await hub.graphql<{
    previewEngagementMessage: { language: string; builtIn: boolean; subject: string; text: string };
  }>(PREVIEW, { patientId: spanishPatient, key: 'appointment-reminder', channel: 'email' }, nurse);
  expect(res.errors).toBeUndefined();
  const preview = res.data!.previewEngagementMessage;
  expect(preview).toMatchObject({ language: 'es', builtIn: false });
  expect(preview.subject).toBe('Recordatorio de Good Health Clinic');
  const me = await hub.graphql<{ patient: { name: { given: string[] } } }>(
    `query($id: ID!) { patient(id: $id) { name { given } } }`,
    { id: spanishPatient },
    nurse,
  );
  expect(preview.text).toContain(`Hola ${me.data!.patient.name.given[0]}:`);

  const denied = await hub.graphql(
    PREVIEW,
    { patientId: unrelatedPatient, key: 'appointment-reminder', channel: 'email' },
    nurse,
  );
  expect(denied.data?.previewEngagementMessage ?? null).toBeNull();
  expect(denied.errors![0]!.extensions!.code).toBe('FORBIDDEN');
});

it('sends the Spanish template to the Spanish-preferring patient; a staff opt-out skips the next message, its revocation lets the one after go', async () => {
  // An email-only tenant (it has no SMS): a skipped message then says why email was refused.
  for (const [key, kind, offsets] of [
    ['appointment-reminders', 'APPOINTMENT_REMINDER', ['P7D', 'PT24H', 'PT2H']],
    ['appointment-confirmation', 'CONFIRMATION_REQUEST', ['PT48H']],
  ] as const) {
    const rule = await hub.graphql(
      SAVE_RULE,
      {
        input: {
          key,
          kind,
          purpose: 'CARE_REMINDERS',
          templateKey: key.replace(/s$/, ''),
          channels: ['EMAIL'],
          offsets,
        },
      },
      admin,
    );
    expect(rule.errors).toBeUndefined();
  }
  const start = dayAhead(10, 15); // 10:00 or 11:00 in New York
  clock.at = new Date();
  const id = await bookAppointment(hub, nurse, {
    patientId: spanishPatient,
    practitionerId,
    start,
  });
  await eventually(async () =>
    (await messages(spanishPatient, id)).length >= 4 ? true : undefined,
  );

  clock.at = new Date(start.getTime() - 7 * 24 * HOUR);
  await eventually(async () =>
    (await statusOf(spanishPatient, id, 'P7D'))?.status === 'SENT' ? true : undefined,
  );
  const mails = mailsTo('paciente@mail.example');
  expect(mails).toHaveLength(1);
  expect(mails[0]!.raw).toContain('Recordatorio de Good Health Clinic');

  // Deny by default: no opt-out written for a patient outside the caller's care, none read by
  // a role without access to consents.
  const refused = await hub.graphql(
    OPT_OUT,
    { input: { patientId: unrelatedPatient, channel: 'EMAIL' } },
    nurse,
  );
  expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  const unread = await hub.graphql(OPT_OUTS, { patientId: spanishPatient }, { role: Role.BILLING });
  expect(unread.errors![0]!.extensions!.code).toBe('FORBIDDEN');

  const recorded = await hub.graphql<{ recordEngagementOptOut: { source: string }[] }>(
    OPT_OUT,
    { input: { patientId: spanishPatient, channel: 'EMAIL', reason: 'asked at the front desk' } },
    frontDesk,
  );
  expect(recorded.errors).toBeUndefined();
  expect(recorded.data!.recordEngagementOptOut).toHaveLength(3);
  const listed = await hub.graphql<{ engagementOptOuts: { channel: string; source: string }[] }>(
    OPT_OUTS,
    { patientId: spanishPatient },
    nurse,
  );
  expect(listed.data!.engagementOptOuts).toContainEqual(
    expect.objectContaining({ channel: 'EMAIL', purpose: 'CARE_REMINDERS', source: 'staff' }),
  );

  clock.at = new Date(start.getTime() - 48 * HOUR);
  const skipped = await eventually(async () => {
    const m = await statusOf(spanishPatient, id, 'PT48H');
    return m?.status === 'SKIPPED' ? m : undefined;
  });
  expect(skipped.reasonCode).toBe('CONSENT_DENIED_CHANNEL');

  const ended = await hub.graphql<{ revokeEngagementOptOut: unknown[] }>(
    END_OPT_OUT,
    { input: { patientId: spanishPatient, channel: 'EMAIL' } },
    frontDesk,
  );
  expect(ended.data!.revokeEngagementOptOut).toHaveLength(3);
  clock.at = new Date(start.getTime() - 24 * HOUR);
  await eventually(async () =>
    (await statusOf(spanishPatient, id, 'PT24H'))?.status === 'SENT' ? true : undefined,
  );
  expect(mailsTo('paciente@mail.example')).toHaveLength(2);
});

it("delivers an in-app message to the patient's own subscription over a real WebSocket", async () => {
  const me = await hub.graphql<{ me: { patient: { id: string } } }>(ME, {}, patientUser);
  const ownId = me.data!.me.patient.id;
  const rule = await hub.graphql(
    SAVE_RULE,
    {
      input: {
        key: 'appointment-reminders',
        kind: 'APPOINTMENT_REMINDER',
        purpose: 'CARE_REMINDERS',
        templateKey: 'appointment-reminder',
        channels: ['IN_APP'],
        offsets: ['P7D'],
      },
    },
    admin,
  );
  expect(rule.errors).toBeUndefined();
  const start = dayAhead(30, 15);
  clock.at = new Date();
  const id = await bookAppointment(hub, nurse, { patientId: ownId, practitionerId, start });
  await eventually(async () =>
    (await statusOf(ownId, id, 'P7D'))?.status === 'SCHEDULED' ? true : undefined,
  );
  const subscription = await openSubscription<{
    type: string;
    subject: { __typename: string; channel?: string; body?: string };
  }>(
    hub,
    await hub.token(patientUser),
    `subscription($id: ID!) { patientEvents(patientId: $id) { type subject { __typename ... on Communication { channel body } } } }`,
    { id: ownId },
  );
  try {
    clock.at = new Date(start.getTime() - 7 * 24 * HOUR);
    const sent = await eventually(async () => {
      const m = await statusOf(ownId, id, 'P7D');
      return m?.status === 'SENT' ? m : undefined;
    });
    expect(sent.channel).toBe('IN_APP');
    await subscription.waitFor(1);
    const event = subscription.events.find(
      (e) => e.type === 'COMMUNICATION_STATUS_CHANGED' && e.subject.__typename === 'Communication',
    );
    expect(event?.subject.channel).toBe('IN_APP');
    expect(event?.subject.body).toContain('Good Health Clinic');
  } finally {
    await subscription.close();
  }
});
