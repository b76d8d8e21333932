/**
 * Issue 6: due messages go out through a real SMTP server and a Twilio-style SMS API (an HTTP
 * server started here), at the time the scheduler's clock says, within the recipient's sending
 * hours (their time zone), each exactly once; delivery receipts and a STOP reply come back
 * through the signed webhook.
 */
import { randomUUID } from 'node:crypto';
import { CommunicationChannel, Role } from '@caregraph/schema';
import { withConfig } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import { eventually } from '@caregraph/core/testing';
import { twilioSignature } from './channels/index.js';
import {
  createEngagementPlugin,
  type Clock,
  type DeliveryChannel,
  type OutgoingMessage,
} from './index.js';
import { bookAppointment } from './testing/book-appointment.js';
import { startSmsApiPeer, type SmsApiPeer } from './testing/sms-api-peer.js';
import { startSmtpServer, type SmtpPeer } from './testing/smtp-peer.js';

const HOUR = 3_600_000;
const ZONE = 'America/New_York';
const nurse = { role: Role.NURSE };

interface Participant {
  actorType: string;
  status: string;
}

/** A vendor's channel (a voice-call API, say), added through the plugin's options. */
const calls: OutgoingMessage[] = [];
const voiceChannel = (): DeliveryChannel => ({
  name: 'voice-vendor',
  send: async (message) => {
    calls.push(message);
    return { providerMessageId: `call-${calls.length}` };
  },
  close: async () => undefined,
});

/** The scheduler's clock: the test sets the time. */
const clock: Clock & { at: Date } = { at: new Date(), now: () => clock.at };

const PEOPLE = `{ patients(first: 1) { edges { node { id } } } practitioners(first: 1) { edges { node { id } } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePatientInput!) { updatePatient(id: $id, input: $input) { id } }`;
const MESSAGES = `query($patientId: ID!) {
  scheduledMessages(patientId: $patientId, first: 100) {
    edges { node { about trigger dueAt status channel reasonCode communicationId } }
  }
}`;

interface Message {
  about: string;
  trigger: string;
  dueAt: string;
  status: string;
  channel: string | null;
  reasonCode: string | null;
  communicationId: string | null;
}

const SMS_TOKEN = 'sms-auth-token-for-the-test';
const WEBHOOK_URL = 'https://hub.example/plugins/engagement/sms/webhook';

/** The SMS provider's API: records each message request and answers with a new sid. */
let smsApi: SmsApiPeer;

/** Posts a webhook form as the provider would, signed unless `signature` is given. */
function postWebhook(form: Record<string, string>, signature?: string) {
  const params = new URLSearchParams(form);
  return hub.fetch('/plugins/engagement/sms/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? twilioSignature(WEBHOOK_URL, params, SMS_TOKEN),
    },
    body: params.toString(),
  });
}

let smtp: SmtpPeer;
let hub: PluginTestHub;
let patientIds: string[]; // the nurse's care-team patient
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

/** Books an appointment at `start` and waits until its messages are planned. */
async function book(patientId: string, start: Date, planned: number): Promise<string> {
  const id = await bookAppointment(hub, nurse, { patientId, practitionerId, start });
  await eventually(async () =>
    (await messages(patientId, id)).length >= planned ? true : undefined,
  );
  return id;
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

/** A day at least `days` ahead, at `hourUtc`:00 UTC. */
function dayAhead(days: number, hourUtc: number): Date {
  const day = new Date(Date.now() + days * 24 * HOUR);
  day.setUTCHours(hourUtc, 0, 0, 0);
  return day;
}

// Each test's appointment lies weeks after the previous one's: moving the clock to its times
// leaves the earlier appointments' remaining messages expired (skipped), so none is mailed.

beforeAll(async () => {
  smtp = await startSmtpServer();
  smsApi = await startSmsApiPeer();
  const smsPort = smsApi.port;
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
    plugins: [
      withConfig(
        createEngagementPlugin({ clock, channels: { [CommunicationChannel.PHONE]: voiceChannel } }),
        config,
      ),
    ],
    seed: config,
  });
  const people = await hub.graphql<{
    patients: { edges: { node: { id: string } }[] };
    practitioners: { edges: { node: { id: string } }[] };
  }>(PEOPLE, {}, nurse);
  patientIds = people.data!.patients.edges.map((e) => e.node.id);
  practitionerId = people.data!.practitioners.edges[0]!.node.id;
  const res = await hub.graphql(
    UPDATE,
    {
      id: patientIds[0],
      input: {
        timeZone: ZONE,
        preferredLanguage: 'en',
        telecom: [{ system: 'EMAIL', value: 'patient0@mail.example' }],
      },
    },
    nurse,
  );
  expect(res.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await smtp?.close();
  await smsApi?.close();
});

it('sends a due reminder by email once, with its Communication, and nothing before it is due', async () => {
  const patientId = patientIds[0]!;
  // 15:00 UTC is 10:00 in New York (EST): every reminder falls inside 08:00–21:00 local.
  const start = dayAhead(5, 15);
  clock.at = new Date();
  const id = await book(patientId, start, 3);
  const before = await messages(patientId, id);
  expect(before.every((m) => m.status === 'SCHEDULED')).toBe(true);
  expect(mailsTo('patient0@mail.example')).toHaveLength(0);

  clock.at = new Date(start.getTime() - 48 * HOUR);
  const sent = await eventually(async () => {
    const confirmation = (await messages(patientId, id)).find((m) => m.trigger === 'PT48H');
    return confirmation?.status === 'SENT' ? confirmation : undefined;
  });
  expect(sent).toMatchObject({ channel: 'EMAIL', reasonCode: null });
  expect(sent.communicationId).toEqual(expect.any(String));
  const mails = mailsTo('patient0@mail.example');
  expect(mails).toHaveLength(1);
  expect(mails[0]!.raw).toContain('Good Health Clinic');
  expect(mails[0]!.raw).toContain(`/appointments/${id}/confirm`);
  // The later reminders are not due yet.
  const rest = (await messages(patientId, id)).filter((m) => m.trigger !== 'PT48H');
  expect(rest.every((m) => m.status === 'SCHEDULED')).toBe(true);

  // More polls at the same time send nothing again.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(mailsTo('patient0@mail.example')).toHaveLength(1);
});

it('defers a reminder due in the recipient’s quiet hours to 08:00 their time, then sends it', async () => {
  const patientId = patientIds[0]!;
  // 12:00 UTC is 07:00 in New York: each reminder falls due at 07:00 local, in quiet hours.
  const start = dayAhead(20, 12);
  clock.at = new Date();
  const id = await book(patientId, start, 4);
  const status = async (trigger: string) =>
    (await messages(patientId, id)).find((m) => m.trigger === trigger)!;
  const earlier = mailsTo('patient0@mail.example').length;
  // Time passes: the 7-day reminder and the 48-hour request go out at 08:00 on their days.
  for (const [trigger, hours] of [
    ['P7D', 7 * 24],
    ['PT48H', 48],
  ] as const) {
    clock.at = new Date(start.getTime() - (hours - 1) * HOUR);
    await eventually(async () => ((await status(trigger)).status === 'SENT' ? true : undefined));
  }
  expect(mailsTo('patient0@mail.example')).toHaveLength(earlier + 2);

  clock.at = new Date(start.getTime() - 24 * HOUR);
  const deferred = await eventually(async () => {
    const reminder = await status('PT24H');
    return reminder.status === 'DEFERRED' ? reminder : undefined;
  });
  // 08:00 in New York the day before: one hour later (13:00 UTC).
  expect(deferred.dueAt).toBe(new Date(start.getTime() - 23 * HOUR).toISOString());
  expect(deferred.reasonCode).toBe('QUIET_HOURS');
  expect(mailsTo('patient0@mail.example')).toHaveLength(earlier + 2);

  clock.at = new Date(start.getTime() - 23 * HOUR);
  await eventually(async () => ((await status('PT24H')).status === 'SENT' ? true : undefined));
  expect(mailsTo('patient0@mail.example')).toHaveLength(earlier + 3);
});

it('skips a reminder that quiet hours would push past the appointment', async () => {
  const patientId = patientIds[0]!;
  // 07:00 New York: the 2-hour reminder is due at 05:00 local; 08:00 is after the visit began.
  const start = dayAhead(40, 12);
  clock.at = new Date();
  const id = await book(patientId, start, 3);
  clock.at = new Date(start.getTime() - 2 * HOUR);
  const skipped = await eventually(async () => {
    const reminder = (await messages(patientId, id)).find((m) => m.trigger === 'PT2H');
    return reminder?.status === 'SKIPPED' ? reminder : undefined;
  });
  expect(skipped.reasonCode).toBe('EXPIRED_BY_QUIET_HOURS');
});

it('texts a reminder, records its delivery receipt, and sends nothing more by SMS after STOP', async () => {
  const patientId = patientIds[0]!;
  const update = await hub.graphql(
    UPDATE,
    { id: patientId, input: { telecom: [{ system: 'SMS', value: '+1 (555) 010-2000' }] } },
    nurse,
  );
  expect(update.errors).toBeUndefined();
  const start = dayAhead(60, 15);
  clock.at = new Date();
  const id = await book(patientId, start, 4);
  const status = async (trigger: string) =>
    (await messages(patientId, id)).find((m) => m.trigger === trigger)!;
  const requestsBefore = smsApi.requests.length;

  clock.at = new Date(start.getTime() - 7 * 24 * HOUR);
  await eventually(async () => ((await status('P7D')).status === 'SENT' ? true : undefined));
  expect(smsApi.requests).toHaveLength(requestsBefore + 1);
  const sms = smsApi.requests.at(-1)!;
  expect(sms.get('To')).toBe('+1 (555) 010-2000');
  expect(sms.get('From')).toBe('+15550000000');
  expect(sms.get('Body')).toContain('Good Health Clinic');
  expect(sms.get('Body')).toMatch(/STOP/);
  const sid = `SM${smsApi.requests.length}`;

  const forged = await postWebhook({ MessageSid: sid, MessageStatus: 'delivered' }, 'forged');
  expect(forged.status).toBe(403);
  const receipt = await postWebhook({ MessageSid: sid, MessageStatus: 'delivered' });
  expect(receipt.status).toBe(204);
  expect((await status('P7D')).status).toBe('DELIVERED');

  const stop = await postWebhook({ MessageSid: 'SMreply1', From: '+15550102000', Body: 'STOP' });
  expect(stop.status).toBe(200);

  clock.at = new Date(start.getTime() - 48 * HOUR);
  const skipped = await eventually(async () => {
    const request = await status('PT48H');
    return request.status === 'SKIPPED' ? request : undefined;
  });
  expect(skipped.reasonCode).toBe('CONSENT_DENIED_CHANNEL');
  expect(smsApi.requests).toHaveLength(requestsBefore + 1);
});

it('records R and C replies to a confirmation request on the appointment, R with a front-desk Task', async () => {
  const patientId = patientIds[0]!;
  // The number opted out in the test before: START lets SMS go to it again.
  const optIn = await postWebhook({ MessageSid: 'SMr0', From: '+15550102000', Body: 'START' });
  expect(optIn.status).toBe(200);
  const start = dayAhead(100, 15);
  clock.at = new Date();
  const id = await book(patientId, start, 4);
  const request = async () => (await messages(patientId, id)).find((m) => m.trigger === 'PT48H')!;
  // The 7-day reminder first: due at the same instant as the request, it could take the day's
  // one SMS (the cap) and defer the request.
  clock.at = new Date(start.getTime() - 7 * 24 * HOUR);
  await eventually(async () => {
    const reminder = (await messages(patientId, id)).find((m) => m.trigger === 'P7D');
    return reminder?.status === 'SENT' ? true : undefined;
  });
  clock.at = new Date(start.getTime() - 48 * HOUR);
  const sent = await eventually(async () => {
    const m = await request();
    return m.status === 'SCHEDULED' || m.status === 'SENDING' ? undefined : m;
  });
  expect(sent).toMatchObject({ status: 'SENT', channel: 'SMS' });
  const chart = async () => {
    const res = await hub.graphql<{
      appointments: { edges: { node: { id: string; participants: Participant[] } }[] };
      patient: {
        tasks: { edges: { node: { title: string } }[] };
        communications: { edges: { node: { id: string; status: string } }[] };
      };
    }>(
      `query($patientId: ID!) {
        appointments(patientId: $patientId, first: 100) { edges { node { id participants { actorType status } } } }
        patient(id: $patientId) {
          tasks(first: 100) { edges { node { title } } }
          communications(first: 100) { edges { node { id status } } }
        }
      }`,
      { patientId },
      nurse,
    );
    expect(res.errors).toBeUndefined();
    const appointment = res.data!.appointments.edges.find((e) => e.node.id === id)!.node;
    return {
      patientStatus: appointment.participants.find((p) => p.actorType === 'Patient')!.status,
      communication: res.data!.patient.communications.edges.find(
        (e) => e.node.id === sent.communicationId,
      )?.node.status,
      tasks: res.data!.patient.tasks.edges.filter(
        (e) => e.node.title === 'Reschedule request by SMS',
      ).length,
    };
  };
  const tasksBefore = (await chart()).tasks;

  const reschedule = await postWebhook({ MessageSid: 'SMr1', From: '+15550102000', Body: 'R' });
  expect(reschedule.status).toBe(200);
  expect(await request()).toMatchObject({ status: 'REPLIED', reasonCode: 'RESCHEDULE_REQUESTED' });
  expect(await chart()).toEqual({
    patientStatus: 'needs-action',
    communication: 'REPLIED',
    tasks: tasksBefore + 1,
  });

  const confirm = await postWebhook({ MessageSid: 'SMr2', From: '+15550102000', Body: 'c' });
  expect(confirm.status).toBe(200);
  expect(await request()).toMatchObject({ status: 'REPLIED', reasonCode: 'CONFIRMED' });
  expect(await chart()).toEqual({
    patientStatus: 'accepted',
    communication: 'REPLIED',
    tasks: tasksBefore + 1,
  });
});

it("sends through a vendor's channel added in the plugin's options, rendered from the SMS text", async () => {
  const patientId = patientIds[0]!;
  const rule = await hub.graphql(
    `mutation($input: SaveEngagementRuleInput!) { saveEngagementRule(input: $input) { version } }`,
    {
      input: {
        key: 'appointment-confirmation',
        kind: 'CONFIRMATION_REQUEST',
        purpose: 'CARE_REMINDERS',
        templateKey: 'appointment-confirmation',
        channels: ['PHONE'],
        offsets: ['PT48H'],
      },
    },
    { role: Role.ADMIN },
  );
  expect(rule.errors).toBeUndefined();
  const start = dayAhead(80, 15);
  clock.at = new Date();
  const id = await book(patientId, start, 4);
  clock.at = new Date(start.getTime() - 48 * HOUR);
  const sent = await eventually(async () => {
    const request = (await messages(patientId, id)).find((m) => m.trigger === 'PT48H');
    return request?.status === 'SENT' ? request : undefined;
  });
  expect(sent.channel).toBe('PHONE');
  expect(calls).toHaveLength(1);
  // The patient's number (an SMS contact point reaches a phone too) and the short SMS text.
  expect(calls[0]!.to).toBe('+1 (555) 010-2000');
  expect(calls[0]!.text).toContain('Good Health Clinic');
  expect(calls[0]!.html).toBeUndefined();
});
