/**
 * Issue 6, the clinical triggers through a real hub, a real SMTP server and the scheduler's
 * controllable clock: a lab result is announced only once a clinician released it, saying that
 * a result is available and never its value; a refill reminder is planned by the periodic sweep
 * from the days supply and sent on its day; a care-plan change sends the patient a notice.
 */
import { randomUUID } from 'node:crypto';
import {
  CarePlan,
  CarePlanGoal,
  CodedConcept,
  MedicationRequest,
  MedicationRequestStatus,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  Role,
} from '@caregraph/schema';
import { definePlugin, withConfig, type PluginContext } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import { eventually } from '@caregraph/core/testing';
import type { EntityManager } from '@mikro-orm/sql';
import { createEngagementPlugin, type Clock } from './index.js';
import { ScheduledMessage } from './store/scheduled-message.js';
import { PENDING_STATUSES } from './store/scheduled-message-status.js';
import { startSmtpServer, type SmtpPeer } from './testing/smtp-peer.js';

const DAY = 86_400_000;
const ZONE = 'America/New_York';
const EMAIL = 'clinical-patient@mail.example';
const nurse = { role: Role.NURSE };

/** The scheduler's clock. During setup it lies two months back, so nothing planned is due. */
const clock: Clock & { at: Date } = { at: new Date(Date.now() - 60 * DAY), now: () => clock.at };
/** Two days ahead at 15:00 UTC: 10:00 in New York, inside the sending window. */
const T0 = new Date(Date.now() + 2 * DAY);
T0.setUTCHours(15, 0, 0, 0);

const PEOPLE = `{ patients(first: 1) { edges { node { id } } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePatientInput!) { updatePatient(id: $id, input: $input) { id } }`;
const RELEASE = `mutation($id: ID!) { releaseLabResult(observationId: $id) { id releasedToPatient } }`;
const MESSAGES = `query($patientId: ID!) {
  scheduledMessages(patientId: $patientId, first: 100) {
    edges { node { about ruleKey trigger dueAt status reasonCode } }
  }
}`;

interface Message {
  about: string;
  ruleKey: string;
  trigger: string;
  dueAt: string;
  status: string;
  reasonCode: string | null;
}

/** A plugin that only hands its context to the test, to write records as an interface would. */
let fixture: PluginContext;
const recorder = definePlugin({
  id: 'clinical-fixture',
  version: '1.0.0',
  apiVersion: '^1.6.0',
  async start(ctx) {
    fixture = ctx;
  },
});

const config = {
  tenantId: randomUUID(),
  integrationUserId: randomUUID(),
  defaultTimeZone: ZONE,
  channels: {
    email: {
      host: '127.0.0.1',
      port: 0,
      security: 'none' as const,
      from: 'Clinic <noreply@clinic.example>',
    },
  },
  dispatch: { pollMs: 50 },
  medicationSweep: { everySeconds: 1 },
};

let smtp: SmtpPeer;
let hub: PluginTestHub;
let patientId: string;

/** Writes through the hub as the integration account (derived events included). */
function write<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
  return fixture.inTenant(
    { tenantId: config.tenantId, userId: config.integrationUserId },
    (scope) => scope.write((w) => work(w.em as EntityManager)),
  );
}

async function messages(about?: string): Promise<Message[]> {
  const res = await hub.graphql<{ scheduledMessages: { edges: { node: Message }[] } }>(
    MESSAGES,
    { patientId },
    nurse,
  );
  expect(res.errors).toBeUndefined();
  const all = res.data!.scheduledMessages.edges.map((e) => e.node);
  return about === undefined ? all : all.filter((m) => m.about === about);
}

const mails = () => smtp.received.filter((m) => m.to.includes(EMAIL));

function labResult(em: EntityManager, securityLabels: string[] = []): string {
  return em.create(Observation, {
    tenantId: config.tenantId,
    patient: em.getReference(Patient, patientId),
    status: ObservationStatus.FINAL,
    category: ObservationCategory.LABORATORY,
    code: Object.assign(new CodedConcept(), {
      system: 'http://loinc.org',
      code: '4548-4',
      display: 'Hemoglobin A1c',
    }),
    valueQuantity: 9.7,
    unit: '%',
    effectiveAt: new Date(),
    securityLabels,
  }).id;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  config.channels.email.port = smtp.port;
  hub = await createTestHub({
    plugins: [withConfig(createEngagementPlugin({ clock }), config), recorder],
    seed: config,
  });
  const people = await hub.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
    PEOPLE,
    {},
    nurse,
  );
  patientId = people.data!.patients.edges[0]!.node.id;
  const res = await hub.graphql(
    UPDATE,
    {
      id: patientId,
      input: {
        timeZone: ZONE,
        preferredLanguage: 'en',
        telecom: [{ system: 'EMAIL', value: EMAIL }],
      },
    },
    nurse,
  );
  expect(res.errors).toBeUndefined();
  // The seed's prescriptions end, so only the test's own are reminded of (and the clock's move to
  // T0 does not make a month of the demo clinic's refills due at once); the sweep cancels what it
  // had planned for them.
  await write(async (em) => {
    const active = { status: MedicationRequestStatus.ACTIVE };
    for (const request of await em.find(MedicationRequest, active))
      request.status = MedicationRequestStatus.COMPLETED;
  });
  await eventually(
    () =>
      write(async (em) => {
        const pending = await em.count(ScheduledMessage, {
          about: { $like: 'MedicationRequest/%' },
          status: { $in: [...PENDING_STATUSES] },
        });
        return pending === 0 ? true : undefined;
      }),
    30_000,
  );
  clock.at = T0;
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await smtp?.close();
});

it('announces a lab result only once released, saying a result is available, never the value', async () => {
  const unreleased = await write(async (em) => labResult(em));
  const labelled = await write(async (em) => {
    const id = labResult(em, ['HIV']);
    return id;
  });
  await write(async (em) => {
    (await em.findOneOrFail(Observation, labelled)).releasedToPatient = true;
  });
  const released = await write(async (em) => labResult(em));
  const first = await hub.graphql<{ releaseLabResult: { releasedToPatient: boolean } }>(
    RELEASE,
    { id: released },
    nurse,
  );
  expect(first.errors).toBeUndefined();
  expect(first.data!.releaseLabResult.releasedToPatient).toBe(true);
  // Released again: nothing more is planned.
  expect((await hub.graphql(RELEASE, { id: released }, nurse)).errors).toBeUndefined();

  const sent = await eventually(async () => {
    const [message] = await messages(`Observation/${released}`);
    return message?.status === 'SENT' ? message : undefined;
  });
  expect(sent).toMatchObject({ ruleKey: 'lab-result-available', trigger: 'released' });
  // Events are handled in order: the unreleased and the labelled result, earlier, planned nothing.
  expect(await messages(`Observation/${unreleased}`)).toEqual([]);
  expect(await messages(`Observation/${labelled}`)).toEqual([]);
  expect(mails()).toHaveLength(1);
  const mail = mails()[0]!.raw;
  expect(mail).toContain('A new result');
  expect(mail).toContain('https://portal.example.org');
  for (const detail of ['9.7', 'A1c', 'Hemoglobin', '4548-4']) expect(mail).not.toContain(detail);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await messages(`Observation/${released}`)).toHaveLength(1);
  expect(mails()).toHaveLength(1);
});

it('sends the patient one notice for a care plan changed twice in a day, without its details', async () => {
  const planId = await write(async (em) => {
    const plan = em.create(CarePlan, {
      tenantId: config.tenantId,
      patient: em.getReference(Patient, patientId),
      title: 'Diabetes self-management',
    });
    return plan.id;
  });
  await write(async (em) => {
    em.create(CarePlanGoal, {
      tenantId: config.tenantId,
      carePlan: em.getReference(CarePlan, planId),
      description: 'HbA1c below 7%',
    });
  });
  const sent = await eventually(async () => {
    const [message] = await messages(`CarePlan/${planId}`);
    return message?.status === 'SENT' ? message : undefined;
  });
  expect(sent.trigger).toMatch(/^updated:\d{4}-\d{2}-\d{2}$/);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await messages(`CarePlan/${planId}`)).toHaveLength(1);
  const notice = mails().filter((m) => m.raw.includes('care plan'));
  expect(notice).toHaveLength(1);
  for (const detail of ['Diabetes', 'HbA1c']) expect(notice[0]!.raw).not.toContain(detail);
});

it('plans a refill reminder from the days supply and sends it on its day, naming no drug', async () => {
  // Authored 26 days before T0 with 30 days' supply: it runs out at T0 + 4 days, and the
  // reminder (3 days' lead) is due at T0 + 1 day.
  const authoredOn = new Date(T0.getTime() - 26 * DAY);
  const id = await write(
    async (em) =>
      em.create(MedicationRequest, {
        tenantId: config.tenantId,
        patient: em.getReference(Patient, patientId),
        medication: Object.assign(new CodedConcept(), { display: 'Metformin 500 mg tablet' }),
        status: MedicationRequestStatus.ACTIVE,
        daysSupply: 30,
        authoredOn,
      }).id,
  );
  const about = `MedicationRequest/${id}`;
  const planned = await eventually(async () => {
    const found = await messages(about);
    return found.length >= 2 ? found : undefined;
  }, 20_000);
  const refill = planned.find((m) => m.ruleKey === 'refill-due')!;
  expect(refill).toMatchObject({ trigger: 'supply-0:P3D', status: 'SCHEDULED' });
  expect(refill.dueAt).toBe(new Date(T0.getTime() + DAY).toISOString());
  expect(planned.find((m) => m.ruleKey === 'adherence-check-in')).toMatchObject({
    trigger: 'check-in-1',
    dueAt: new Date(authoredOn.getTime() + 30 * DAY).toISOString(),
  });
  const before = mails().length;
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // more sweeps, nothing new
  expect(await messages(about)).toHaveLength(2);
  expect(mails()).toHaveLength(before);

  clock.at = new Date(T0.getTime() + DAY);
  await eventually(async () => {
    const [message] = (await messages(about)).filter((m) => m.ruleKey === 'refill-due');
    return message?.status === 'SENT' ? message : undefined;
  }, 20_000);
  const reminder = mails().filter((m) => m.raw.includes('refill'));
  expect(reminder).toHaveLength(1);
  expect(reminder[0]!.raw).not.toContain('Metformin');
  expect(await messages(about)).toHaveLength(2);
});
