/**
 * Outbound HL7 end to end over real MLLP sockets: an appointment booked through GraphQL reaches
 * a downstream receiver as one SIU^S12 with the patient's PID and the appointment's SCH; the
 * queue waits for each ACK, retries what is not answered (same control id) and a destination
 * that is down (in order, once it is back), keeps NAKed messages in the error queue until an
 * operator retries them, and gives up after `maxAttempts`.
 */
import { AdministrativeGender, CareEventType, Role } from '@caregraph/schema';
import { definePlugin, withConfig, type PluginContext } from '@caregraph/plugin-sdk';
import { hl7v2ConfigSchema, type Hl7v2Config } from '../config.js';
import type { ParsedMessage } from '../message/index.js';
import { DownstreamReceiver } from '../testing/downstream-receiver.js';
import { freePort, startHl7TestHub, type Hl7TestHub } from '../testing/hl7-test-hub.js';
import { OutboundProducer } from './outbound-producer.js';
import { outboundSendJob } from './outbound-sender.js';
import { waitFor } from '../testing/eventually.js';

const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelAppointment(id: $id, reason: "patient called") { id } }`;
const SET_STATUS = `mutation($id: ID!, $status: AppointmentStatus!) { setAppointmentStatus(id: $id, status: $status) { id } }`;
const CREATE_PATIENT = `mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }`;
const OUTBOUND = `query($status: OutboundMessageStatus, $destination: String) {
  outboundMessages(status: $status, destination: $destination, first: 100) {
    edges { node { id destination controlId messageType status attempts lastErrorCode lastErrorText ackCode ackText sourceEventType record } }
  }
}`;
const RETRY = `mutation($id: ID!) { retryOutboundMessage(id: $id) { id status attempts controlId } }`;

interface Row {
  id: string;
  destination: string;
  controlId: string;
  messageType: string;
  status: string;
  attempts: number;
  lastErrorCode: string | null;
  lastErrorText: string | null;
  ackCode: string | null;
  ackText: string | null;
  sourceEventType: string;
  record: string;
}

/**
 * A second plugin with the adapter's config: its producer handles events the test hands it (a
 * redelivery), and it works the send job on a queue of its own, so two workers compete for each
 * destination's head.
 */
let probe: OutboundProducer | undefined;
const outboundProbe = definePlugin({
  id: 'hl7v2-outbound-probe',
  version: '0.1.0',
  apiVersion: '^1.4.0',
  config: hl7v2ConfigSchema,
  jobs: [outboundSendJob],
  async start(ctx) {
    probe = new OutboundProducer(ctx as PluginContext<Hl7v2Config>);
  },
});

let t: Hl7TestHub;
let ris: DownstreamReceiver;
let billing: DownstreamReceiver;
let practitionerId: string;
/** MRNs the RIS answers AE for (until taken out of the set). */
const refused = new Set<string>();
/** Control ids the RIS has left unanswered once. */
const ignoredOnce = new Set<string>();
let nextSlot = 0;
const HOUR = 3_600_000;
const base = Math.floor((Date.now() + 700 * 24 * HOUR) / HOUR) * HOUR;

async function gql<T>(query: string, variables: Record<string, unknown>, role: Role): Promise<T> {
  const res = await t.hub.graphql<T>(query, variables, { role });
  expect(res.errors).toBeUndefined();
  return res.data!;
}

async function rows(destination?: string): Promise<Row[]> {
  const data = await gql<{ outboundMessages: { edges: { node: Row }[] } }>(
    OUTBOUND,
    { destination },
    Role.ADMIN,
  );
  return data.outboundMessages.edges.map((edge) => edge.node).reverse(); // oldest first
}

async function rowsOf(appointmentId: string, destination: string): Promise<Row[]> {
  return (await rows(destination)).filter((row) => row.record === `Appointment/${appointmentId}`);
}

/** The rows of an appointment at a destination once every one of them matches `done`. */
function settled(
  appointmentId: string,
  destination: string,
  count: number,
  done = (r: Row) => r.status === 'ACKNOWLEDGED',
) {
  return waitFor(`${count} settled ${destination} message(s)`, async () => {
    const found = await rowsOf(appointmentId, destination);
    return found.length === count && found.every(done) ? found : undefined;
  });
}

async function patient(mrn: string, family = 'Everywoman'): Promise<string> {
  const data = await gql<{ createPatient: { id: string } }>(
    CREATE_PATIENT,
    {
      input: {
        names: [{ use: 'official', family, given: ['Eve', 'E'] }],
        birthDate: '1962-03-20',
        gender: AdministrativeGender.FEMALE.toUpperCase(),
        identifiers: [{ system: 'urn:hl7v2:GHH:MR', value: mrn, type: 'MR', assigner: 'GHH' }],
      },
    },
    Role.FRONT_DESK,
  );
  return data.createPatient.id;
}

async function book(patientId: string, status?: string): Promise<string> {
  const start = base + nextSlot++ * HOUR;
  const data = await gql<{ bookAppointment: { id: string } }>(
    BOOK,
    {
      input: {
        patientId,
        practitionerId,
        start: new Date(start).toISOString(),
        end: new Date(start + 30 * 60_000).toISOString(),
        ...(status ? { status } : {}),
      },
    },
    Role.FRONT_DESK,
  );
  return data.bookAppointment.id;
}

const triggers = (messages: ParsedMessage[]) => messages.map((m) => m.header.triggerEvent);

beforeAll(async () => {
  ris = await DownstreamReceiver.start();
  ris.answer = (message) => {
    const mrn = String(message.get('PID-3.1'));
    if (refused.has(mrn)) return 'AE';
    if (mrn.startsWith('SLOW-') && !ignoredOnce.has(message.header.controlId)) {
      ignoredOnce.add(message.header.controlId);
      return 'silent';
    }
    return 'AA';
  };
  billing = DownstreamReceiver.down(await freePort());
  const archivePort = await freePort();
  t = await startHl7TestHub(
    {
      listen: false,
      facility: 'CLINIC',
      outbound: [
        {
          name: 'ris',
          host: '127.0.0.1',
          port: ris.port,
          ackTimeoutSeconds: 1,
          receivingApplication: 'RIS',
          receivingFacility: 'RADIOLOGY',
        },
        {
          name: 'billing',
          host: '127.0.0.1',
          port: billing.port,
          events: ['AppointmentBooked'],
          maxAttempts: 30,
          receivingApplication: 'BILLING',
        },
        {
          name: 'archive',
          host: '127.0.0.1',
          port: archivePort,
          events: ['AppointmentNoShow'],
          maxAttempts: 2,
          receivingApplication: 'ARCHIVE',
        },
      ],
    },
    (config) => [withConfig(outboundProbe, config)],
  );
  await t.hub.waitForState('hl7v2-outbound-probe', 'running');
  const practitioners = await gql<{ practitioners: { edges: { node: { id: string } }[] } }>(
    '{ practitioners(first: 1) { edges { node { id } } } }',
    {},
    Role.FRONT_DESK,
  );
  practitionerId = practitioners.practitioners.edges[0]!.node.id;
}, 180_000);

afterAll(async () => {
  await t?.stop();
  await ris?.close();
  await billing?.close();
});

it('queues for a destination that is down and sends in order once it comes back', async () => {
  const first = await book(await patient('MRN-DOWN-1'));
  const second = await book(await patient('MRN-DOWN-2'));
  const [head] = await waitFor('retries of the billing head', async () => {
    const found = await rowsOf(first, 'billing');
    return found[0] && found[0].attempts >= 2 && found[0].status === 'QUEUED' ? found : undefined;
  });
  expect(head).toMatchObject({ lastErrorCode: 'CG_ERR_MLLP_CONNECT_FAILED' });
  expect(await rowsOf(second, 'billing')).toMatchObject([{ status: 'QUEUED', attempts: 0 }]);
  expect(billing.received).toHaveLength(0);

  await billing.listen();
  await settled(second, 'billing', 1);
  const [sent] = await settled(first, 'billing', 1);
  expect(sent!.attempts).toBeGreaterThanOrEqual(3);
  const order = billing.received.map((m) => m.get('SCH-2.1'));
  expect(order.indexOf(first)).toBeLessThan(order.indexOf(second));
  expect(billing.about(first)).toHaveLength(1);
  expect(billing.received[0]!.header.receivingApplication).toBe('BILLING');
});

it('sends one SIU^S12 with the patient PID and the SCH when an appointment is booked, then S15 when it is cancelled', async () => {
  const patientId = await patient('MRN-OUT-1', 'Müller');
  const id = await book(patientId);
  const [booked] = await settled(id, 'ris', 1);
  expect(booked).toMatchObject({
    messageType: 'SIU^S12',
    status: 'ACKNOWLEDGED',
    ackCode: 'AA',
    attempts: 1,
    sourceEventType: 'AppointmentBooked',
  });
  expect(booked!.ackText).toContain('MSA|AA|');

  await gql(CANCEL, { id }, Role.FRONT_DESK);
  await settled(id, 'ris', 2);
  const messages = ris.about(id);
  expect(triggers(messages)).toEqual(['S12', 'S15']);
  const [s12, s15] = messages as [ParsedMessage, ParsedMessage];
  expect(s12.header).toMatchObject({
    controlId: booked!.controlId,
    version: '2.5.1',
    sendingApplication: 'CAREGRAPH',
    sendingFacility: 'CLINIC',
    receivingApplication: 'RIS',
    receivingFacility: 'RADIOLOGY',
    messageStructure: 'SIU_S12',
  });
  expect(s12.get('PID-3[1].1')).toBe('MRN-OUT-1');
  expect(s12.get('PID-3[1].4')).toBe('GHH');
  expect(s12.get('PID-3[1].5')).toBe('MR');
  expect(s12.get('PID-3[2].1')).toBe(patientId);
  expect(s12.get('PID-5.1')).toBe('Müller');
  expect(s12.get('PID-5.2')).toBe('Eve');
  expect(s12.get('PID-7')).toBe('19620320');
  expect(s12.get('PID-8')).toBe('F');
  expect(s12.get('SCH-2.1')).toBe(id);
  expect(s12.get('SCH-25.1')).toBe('Booked');
  expect(s12.get('SCH-9')).toBe('30');
  expect(s12.get('AIP-1')).toBe('1');
  expect(s15.get('SCH-25.1')).toBe('Cancelled');
  expect(s15.get('SCH-2.1')).toBe(id);

  const latest = await gql<{ outboundMessages: { edges: { node: { text: string } }[] } }>(
    '{ outboundMessages(destination: "ris", first: 1) { edges { node { text } } } }',
    {},
    Role.ADMIN,
  );
  const text = latest.outboundMessages.edges[0]!.node.text;
  expect(text.startsWith('MSH|^~\\&|CAREGRAPH|CLINIC|RIS|RADIOLOGY|')).toBe(true);
  expect(text).toContain(`|SIU^S15^SIU_S12|${s15.header.controlId}|P|2.5.1`);
});

it('sends S14 when a pending appointment is then booked', async () => {
  const id = await book(await patient('MRN-OUT-2'), 'PENDING');
  await settled(id, 'ris', 1);
  await gql(SET_STATUS, { id, status: 'BOOKED' }, Role.FRONT_DESK);
  await settled(id, 'ris', 2);
  const messages = ris.about(id);
  expect(triggers(messages)).toEqual(['S12', 'S14']);
  expect(messages.map((m) => m.get('SCH-25.1'))).toEqual(['Pending', 'Booked']);
});

it('keeps a NAKed message in the error queue without retrying it, until an operator does', async () => {
  refused.add('NAK-1');
  const id = await book(await patient('NAK-1'));
  const [nak] = await settled(id, 'ris', 1, (row) => row.status === 'ERROR');
  expect(nak).toMatchObject({
    ackCode: 'AE',
    attempts: 1,
    lastErrorCode: 'CG_ERR_HL7_OUTBOUND_NAK',
    lastErrorText: 'The destination answered AE (ERR-3 204).',
  });
  expect(nak!.ackText).toContain('Unknown patient');
  const errors = await gql<{ outboundMessages: { edges: { node: Row }[] } }>(
    OUTBOUND,
    { status: 'ERROR', destination: 'ris' },
    Role.INTEGRATION,
  );
  expect(errors.outboundMessages.edges.map((e) => e.node.id)).toContain(nak!.id);
  // Past the first retry delay: nothing was sent again.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(ris.about(id)).toHaveLength(1);
  expect((await rowsOf(id, 'ris'))[0]).toMatchObject({ status: 'ERROR', attempts: 1 });

  refused.delete('NAK-1');
  const retried = await gql<{ retryOutboundMessage: Row }>(RETRY, { id: nak!.id }, Role.ADMIN);
  expect(retried.retryOutboundMessage).toMatchObject({ status: 'QUEUED', attempts: 0 });
  const [delivered] = await settled(id, 'ris', 1);
  expect(delivered).toMatchObject({ ackCode: 'AA', attempts: 1 });
  const copies = ris.about(id);
  expect(copies).toHaveLength(2);
  expect(copies[1]!.header.controlId).toBe(delivered!.controlId);
  expect(copies[1]!.header.controlId).not.toBe(copies[0]!.header.controlId);
});

it('sends an unanswered message again with the same control id until it is acknowledged', async () => {
  const id = await book(await patient('SLOW-1'));
  const [row] = await settled(id, 'ris', 1);
  expect(row).toMatchObject({ attempts: 2, ackCode: 'AA', lastErrorCode: 'CG_ERR_MLLP_TIMEOUT' });
  const copies = ris.about(id);
  expect(copies).toHaveLength(2);
  expect(copies.map((m) => m.header.controlId)).toEqual([row!.controlId, row!.controlId]);
});

it('gives up after maxAttempts on a destination that never answers, and sends S26 elsewhere', async () => {
  const id = await book(await patient('MRN-OUT-3'));
  await settled(id, 'ris', 1);
  await gql(SET_STATUS, { id, status: 'NO_SHOW' }, Role.FRONT_DESK);
  const [archived] = await settled(id, 'archive', 1, (row) => row.status === 'ERROR');
  expect(archived).toMatchObject({
    messageType: 'SIU^S26',
    attempts: 2,
    lastErrorCode: 'CG_ERR_MLLP_CONNECT_FAILED',
  });
  expect(archived!.lastErrorText).toContain('Gave up after 2 attempts.');
  await settled(id, 'ris', 2);
  expect(triggers(ris.about(id))).toEqual(['S12', 'S26']);
});

it('queues one message per destination for an event delivered more than once', async () => {
  const id = await book(await patient('MRN-TWICE'));
  const event = await t.hub.waitForEvent(
    (e) => e.type === CareEventType.APPOINTMENT_BOOKED && e.subject.id === id,
  );
  await waitFor('the adapter to queue the event', async () =>
    (await rowsOf(id, 'ris')).length === 1 ? true : undefined,
  );
  await probe!.handle(event);
  await probe!.handle(event);
  await settled(id, 'ris', 1);
  await settled(id, 'billing', 1);
  expect(ris.about(id)).toHaveLength(1);
  expect(billing.about(id)).toHaveLength(1);
});

it('serves the outbound queue to admin and integration only', async () => {
  const res = await t.hub.graphql(OUTBOUND, {}, { role: Role.FRONT_DESK });
  expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
