/**
 * Outbound HL7 over TLS, end to end on real sockets: the downstream receivers listen with TLS
 * certificates issued in the test by a test CA (openssl, in a temporary folder). A destination
 * configured with that CA and a client certificate gets its SIU over mutual TLS; a destination
 * whose `caFile` names another CA refuses the receiver's certificate, and the message is retried
 * with `CG_ERR_HL7_OUTBOUND_TLS_HANDSHAKE`, not lost: once the right CA is in the file, it goes out.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@caregraph/schema';
import { DownstreamReceiver } from '../testing/downstream-receiver.js';
import { startHl7TestHub, type Hl7TestHub } from '../testing/hl7-test-hub.js';
import { TestPki, type TestCa, type TestKeyPair } from '../testing/test-pki.js';
import { waitFor } from '../testing/eventually.js';

const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`;
const CANCEL = `mutation($id: ID!) { cancelAppointment(id: $id, reason: "patient called") { id } }`;
const CREATE_PATIENT = `mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }`;
const OUTBOUND = `query($destination: String) {
  outboundMessages(destination: $destination, first: 100) {
    edges { node { controlId messageType status attempts lastErrorCode lastErrorText ackCode record } }
  }
}`;

interface Row {
  controlId: string;
  messageType: string;
  status: string;
  attempts: number;
  lastErrorCode: string | null;
  lastErrorText: string | null;
  ackCode: string | null;
  record: string;
}

let pki: TestPki;
let clinicCa: TestCa;
let downstreamPair: TestKeyPair;
/** The CA file of the `pacs` destination: another CA's certificate until the test fixes it. */
let pacsCaFile: string;
let ris: DownstreamReceiver;
let pacs: DownstreamReceiver;
let t: Hl7TestHub;
let practitionerId: string;
const HOUR = 3_600_000;
let nextSlot = 0;
const base = Math.floor((Date.now() + 800 * 24 * HOUR) / HOUR) * HOUR;

async function gql<T>(query: string, variables: Record<string, unknown>, role: Role): Promise<T> {
  const res = await t.hub.graphql<T>(query, variables, { role });
  expect(res.errors).toBeUndefined();
  return res.data!;
}

async function rowOf(appointmentId: string, destination: string): Promise<Row | undefined> {
  const data = await gql<{ outboundMessages: { edges: { node: Row }[] } }>(
    OUTBOUND,
    { destination },
    Role.ADMIN,
  );
  return data.outboundMessages.edges
    .map((edge) => edge.node)
    .find((row) => row.record === `Appointment/${appointmentId}`);
}

async function book(mrn: string): Promise<string> {
  const patient = await gql<{ createPatient: { id: string } }>(
    CREATE_PATIENT,
    {
      input: {
        names: [{ use: 'official', family: 'Secure', given: ['Sam'] }],
        birthDate: '1971-04-02',
        identifiers: [{ system: 'urn:hl7v2:GHH:MR', value: mrn, type: 'MR', assigner: 'GHH' }],
      },
    },
    Role.FRONT_DESK,
  );
  const start = base + nextSlot++ * HOUR;
  const data = await gql<{ bookAppointment: { id: string } }>(
    BOOK,
    {
      input: {
        patientId: patient.createPatient.id,
        practitionerId,
        start: new Date(start).toISOString(),
        end: new Date(start + 30 * 60_000).toISOString(),
      },
    },
    Role.FRONT_DESK,
  );
  return data.bookAppointment.id;
}

beforeAll(async () => {
  pki = new TestPki();
  clinicCa = pki.ca('clinic');
  downstreamPair = clinicCa.issue('downstream', 'localhost');
  const hubPair = clinicCa.issue('hub', 'caregraph-hub');
  pacsCaFile = join(pki.dir, 'pacs-ca.pem');
  copyFileSync(pki.ca('elsewhere').certFile, pacsCaFile);

  ris = await DownstreamReceiver.start(0, {
    tls: {
      key: downstreamPair.key,
      cert: downstreamPair.cert,
      ca: clinicCa.cert,
      requestCert: true,
    },
  });
  pacs = await DownstreamReceiver.start(0, {
    tls: { key: downstreamPair.key, cert: downstreamPair.cert },
  });
  t = await startHl7TestHub({
    listen: false,
    outbound: [
      {
        name: 'ris',
        host: '127.0.0.1',
        port: ris.port,
        tls: { caFile: clinicCa.certFile, certFile: hubPair.certFile, keyFile: hubPair.keyFile },
        ackTimeoutSeconds: 5,
        events: ['AppointmentBooked'],
        receivingApplication: 'RIS',
      },
      {
        name: 'pacs',
        host: '127.0.0.1',
        port: pacs.port,
        tls: { caFile: pacsCaFile, servername: 'localhost' },
        ackTimeoutSeconds: 5,
        maxAttempts: 50,
        events: ['AppointmentCancelled'],
        receivingApplication: 'PACS',
      },
    ],
  });
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
  await pacs?.close();
  pki?.dispose();
});

it('sends an SIU over mutual TLS to a destination whose certificate chains to the configured CA', async () => {
  const id = await book('TLS-1');
  const row = await waitFor('the ris message to be acknowledged', async () => {
    const found = await rowOf(id, 'ris');
    return found?.status === 'ACKNOWLEDGED' ? found : undefined;
  });
  expect(row).toMatchObject({ messageType: 'SIU^S12', ackCode: 'AA', attempts: 1 });
  expect(row.lastErrorCode).toBeNull();
  const received = ris.about(id);
  expect(received).toHaveLength(1);
  expect(received[0]!.header.controlId).toBe(row.controlId);
  // The receiver saw the hub's client certificate, verified against its CA.
  const over = ris.receivedOver[ris.received.indexOf(received[0]!)];
  expect(over).toMatchObject({ authorized: true, peerSubject: 'caregraph-hub' });
  expect(over!.protocol).toMatch(/^TLSv1\.[23]$/);
});

it('retries a message whose destination presents a certificate of another CA, with a TLS error code, and sends it once the CA is fixed', async () => {
  const id = await book('TLS-2');
  await gql(CANCEL, { id }, Role.FRONT_DESK);
  const failing = await waitFor('retries of the pacs message', async () => {
    const found = await rowOf(id, 'pacs');
    return found && found.attempts >= 2 && found.status === 'QUEUED' ? found : undefined;
  });
  expect(failing).toMatchObject({
    messageType: 'SIU^S15',
    lastErrorCode: 'CG_ERR_HL7_OUTBOUND_TLS_HANDSHAKE',
    ackCode: null,
  });
  expect(failing.lastErrorText).toContain('TLS handshake');
  expect(failing.lastErrorText).toContain('tls.caFile');
  expect(pacs.about(id)).toHaveLength(0);

  // The operator puts the right CA in the file: the next attempt reads it and goes through.
  copyFileSync(clinicCa.certFile, pacsCaFile);
  const sent = await waitFor('the pacs message to be acknowledged', async () => {
    const found = await rowOf(id, 'pacs');
    return found?.status === 'ACKNOWLEDGED' ? found : undefined;
  });
  expect(sent.attempts).toBeGreaterThan(failing.attempts);
  expect(sent.controlId).toBe(failing.controlId);
  expect(pacs.about(id).map((m) => m.header.controlId)).toEqual([sent.controlId]);
});
