/**
 * The adapter's own patient data follows the hub's patient lifecycle (plugin API 1.5.0,
 * `patientData`), over a real MLLP socket: an ADT A40 moves the loser's clinical documents to
 * the survivor in the merge's transaction, record links find the loser's records on the
 * survivor, and a later message about the loser's MRN applies to the survivor; the error queue
 * holds either record's messages behind the other's errors. The export includes the documents
 * and the stored messages; erasure (refused by a legal hold or a recent document) deletes the
 * documents and links, strips the stored inbound and outbound messages of PHI and takes the
 * outbound ones still queued out of the queue.
 */
import type { EntityManager } from '@mikro-orm/core';
import { Appointment, AuditEvent, Role } from '@caregraph/schema';
import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';
import { MDM_T02, message, msh, seg, siu } from './mappings/fixtures/messages.js';
import { ClinicalDocument } from './store/clinical-document.js';
import { IntegrationMessage } from './store/integration-message.js';
import { RecordLink } from './store/record-link.js';
import { freePort, startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

const ADMIN = { role: Role.ADMIN } as const;
/** Exports by an admin are for compliance (purpose of use HCOMPL). */
const COMPLIANCE = { 'x-purpose-of-use': 'HCOMPL' };

let t: Hl7TestHub;
let probe: PluginContext | undefined;

/** A plugin whose context the test borrows to read the adapter's tables. */
const contextProbe = definePlugin({
  id: 'lifecycle-probe',
  version: '1.0.0',
  apiVersion: '^1.5.0',
  async start(ctx) {
    probe = ctx;
  },
});

/** Reads the tenant's rows as the integration account, on a fresh EntityManager. */
function inDb<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
  return probe!.inTenant({ tenantId: t.tenantId, userId: t.integrationUserId }, (scope) =>
    work(scope.em.fork()),
  );
}

/** The message with MSH-10 replaced. */
function withId(text: string, controlId: string): string {
  const [header, ...rest] = text.split('\r');
  const fields = header!.split('|');
  fields[9] = controlId;
  return [fields.join('|'), ...rest].join('\r');
}

const about = (text: string, mrn: string) => text.replaceAll('MRN123456', mrn);
const pid = (mrn: string, family: string) =>
  seg('PID', { 1: '1', 3: `${mrn}^^^GENHOSP^MR`, 5: `${family}^Alex`, 7: '19700101' });

interface Stored {
  id: string;
  controlId: string;
  status: string;
  errorCode: string | null;
  patientId: string | null;
  records: string[];
}

async function stored(controlId: string): Promise<Stored> {
  const res = await t.hub.graphql<{ integrationMessages: { edges: { node: Stored }[] } }>(
    `query($text: String) { integrationMessages(text: $text, first: 10) {
      edges { node { id controlId status errorCode patientId records } } } }`,
    { text: controlId },
    ADMIN,
  );
  expect(res.errors).toBeUndefined();
  const row = res.data!.integrationMessages.edges.find((e) => e.node.controlId === controlId);
  expect(row).toBeDefined();
  return row!.node;
}

/** Sends a message under `controlId`, checks the ACK code, returns the stored row. */
async function send(text: string, controlId: string, ack = 'AA'): Promise<Stored> {
  const response = await t.send(withId(text, controlId));
  expect([controlId, response.get('MSA-1')]).toEqual([controlId, ack]);
  return stored(controlId);
}

async function register(mrn: string, family: string, controlId: string): Promise<string> {
  const adt = message(msh('ADT^A28^ADT_A05'), seg('EVN', { 1: 'A28' }), pid(mrn, family));
  return (await send(adt, controlId)).patientId!;
}

interface Outbound {
  id: string;
  status: string;
  lastErrorCode: string | null;
  text: string;
}

async function outboundMessages(): Promise<Outbound[]> {
  const res = await t.hub.graphql<{ outboundMessages: { edges: { node: Outbound }[] } }>(
    '{ outboundMessages(first: 20) { edges { node { id status lastErrorCode text } } } }',
    {},
    ADMIN,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.outboundMessages.edges.map((e) => e.node);
}

const documentsOf = (patientIds: string[]) =>
  inDb((em) =>
    em.find(ClinicalDocument, { patientId: { $in: patientIds } }, { orderBy: { id: 'asc' } }),
  );

let survivor: string;
let loser: string;
let documentId: string;
let appointmentId: string;

beforeAll(async () => {
  // A downstream system that is down: the appointment's SIU messages stay queued.
  const downPort = await freePort();
  t = await startHl7TestHub({
    extraPlugins: [contextProbe],
    hubConfig: { retentionYears: 1 },
    outbound: [
      {
        name: 'ris',
        host: '127.0.0.1',
        port: downPort,
        receivingApplication: 'RIS',
        maxAttempts: 100,
      },
    ],
  });
  await t.hub.waitForState('lifecycle-probe', 'running');
  loser = await register('MRN-LOSER', 'LOSER', 'REG-LOSER');
  survivor = await register('MRN-SURV', 'SURVIVOR', 'REG-SURV');
  await send(about(MDM_T02, 'MRN-LOSER'), 'MDM-LOSER-1');
  const booked = await send(about(siu('S12'), 'MRN-LOSER'), 'SIU-LOSER-1');
  appointmentId = booked.records.find((r) => r.startsWith('Appointment/'))!.split('/')[1]!;
  const [document] = await documentsOf([loser]);
  documentId = document!.id;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('merge (ADT A40)', () => {
  it('moves the loser’s documents to the survivor; the record links find them there', async () => {
    const a40 = message(
      msh('ADT^A40^ADT_A39'),
      seg('EVN', { 1: 'A40' }),
      pid('MRN-SURV', 'SURVIVOR'),
      seg('MRG', { 1: 'MRN-LOSER^^^GENHOSP^MR' }),
    );
    await send(a40, 'A40-1');
    const documents = await documentsOf([loser, survivor]);
    expect(documents.map((d) => [d.id, d.patientId])).toEqual([[documentId, survivor]]);
    const links = await inDb((em) =>
      em.find(RecordLink, { recordId: { $in: [documentId, appointmentId] } }),
    );
    expect(links.map((l) => [l.kind, l.recordType]).sort()).toEqual([
      ['appointment', 'Appointment'],
      ['appointment', 'Appointment'],
      ['document', 'ClinicalDocument'],
    ]);
    const appointment = await inDb((em) => em.findOneOrFail(Appointment, appointmentId));
    expect(appointment.patient.id).toBe(survivor);
    const audit = await inDb((em) =>
      em.findOneOrFail(AuditEvent, { type: 'patient.merge', entity: `Patient/${survivor}` }),
    );
    expect(audit.detail).toMatchObject({
      mergedFrom: loser,
      moved: { 'hl7v2.ClinicalDocument': 1, Appointment: 1 },
    });
  });

  it('applies a later message about the loser’s MRN to the survivor', async () => {
    const amended = about(MDM_T02, 'MRN-LOSER').replace('BP improved', 'BP much improved');
    const row = await send(amended, 'MDM-LOSER-2');
    expect(row.patientId).toBe(survivor);
    const documents = await documentsOf([loser, survivor]);
    expect(documents.map((d) => [d.id, d.patientId])).toEqual([[documentId, survivor]]);
    expect(documents[0]!.text).toContain('BP much improved');
    const moved = await send(
      about(siu('S13', { 11: '^^^20240116093000-0500^20240116100000-0500' }), 'MRN-LOSER'),
      'SIU-LOSER-2',
    );
    expect(moved.records).toContain(`Appointment/${appointmentId}`);
    expect(moved.patientId).toBe(survivor);
  });

  it('keeps stored messages as history; either record’s messages wait behind the other’s error', async () => {
    expect((await stored('MDM-LOSER-1')).patientId).toBe(loser);
    const unnumbered = about(MDM_T02.replace('DOC-42^DICTATION', ''), 'MRN-LOSER');
    const failed = await send(unnumbered, 'MDM-LOSER-BAD', 'AE');
    expect(failed.status).toBe('ERROR');
    const a08 = message(msh('ADT^A08^ADT_A01'), seg('EVN', { 1: 'A08' }), pid('MRN-SURV', 'SURV'));
    const held = await send(a08, 'A08-SURV-1', 'AE');
    expect([held.status, held.errorCode]).toEqual(['HELD', 'CG_ERR_HL7_HELD']);
    const ignored = await t.hub.graphql(
      'mutation($id: ID!) { ignoreIntegrationMessage(id: $id, reason: "sent in error") { status } }',
      { id: failed.id },
      { role: Role.INTEGRATION },
    );
    expect(ignored.errors).toBeUndefined();
    const released = await stored('A08-SURV-1');
    expect([released.status, released.patientId]).toEqual(['PROCESSED', survivor]);
  });
});

interface BundleEntry {
  resource: { resourceType: string; id: string; [key: string]: unknown };
}

describe('export', () => {
  it('includes the documents and the stored messages, counted in the ticket', async () => {
    const res = await t.hub.graphql<{
      exportPatientData: { url: string; resourceCount: number };
    }>(
      'mutation($p: ID!) { exportPatientData(patientId: $p) { url resourceCount } }',
      { p: survivor },
      ADMIN,
      COMPLIANCE,
    );
    expect(res.errors).toBeUndefined();
    const ticket = res.data!.exportPatientData;
    const download = await t.hub.fetch(ticket.url, { headers: COMPLIANCE }, ADMIN);
    expect(download.status).toBe(200);
    const bundle = (await download.json()) as { entry: BundleEntry[] };
    const resources = bundle.entry.map((e) => e.resource);
    const ofType = (type: string) => resources.filter((r) => r.resourceType === type);
    const practitioners = ofType('Practitioner');
    expect(ticket.resourceCount).toBe(resources.length - practitioners.length);

    const [document] = ofType('DocumentReference') as (BundleEntry['resource'] & {
      subject: { reference: string };
      author: { reference: string }[];
      masterIdentifier: { value: string };
      content: { attachment: { data: string } }[];
    })[];
    expect(document).toMatchObject({
      id: documentId,
      subject: { reference: `Patient/${survivor}` },
      masterIdentifier: { value: 'DOC-42' },
    });
    const text = Buffer.from(document!.content[0]!.attachment.data, 'base64').toString('utf8');
    expect(text).toContain('BP much improved');
    const author = document!.author[0]!.reference.split('/')[1];
    expect(practitioners.map((p) => p.id)).toContain(author);

    const messages = (ofType('Binary') as (BundleEntry['resource'] & { data: string })[]).map(
      (binary) => Buffer.from(binary.data, 'base64').toString('utf8'),
    );
    for (const controlId of ['REG-LOSER', 'REG-SURV', 'MDM-LOSER-1', 'A40-1', 'MDM-LOSER-BAD'])
      expect([controlId, messages.some((m) => m.includes(`|${controlId}|`))]).toEqual([
        controlId,
        true,
      ]);
  });
});

describe('erasure', () => {
  const ERASE = `mutation($p: ID!, $reason: String!) {
    erasePatient(patientId: $p, reason: $reason) { patientId deletedRecords mergedRecordsErased }
  }`;

  it('refuses while a document is recent: its activity counts for retention', async () => {
    const recent = await register('MRN-RECENT', 'RECENT', 'REG-RECENT');
    const now = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const mdm = about(MDM_T02, 'MRN-RECENT')
      .replace('20240105153000', now)
      .replace('DOC-42^', 'DOC-RECENT^');
    await send(mdm, 'MDM-RECENT-1');
    const res = await t.hub.graphql(ERASE, { p: recent, reason: 'Erasure request' }, ADMIN);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'RETENTION_PERIOD',
    });
    expect(await documentsOf([recent])).toHaveLength(1);
  });

  it('refuses under a legal hold, then erases the documents and links and strips the messages', async () => {
    // The booking and the rescheduling were queued for the RIS, which is down.
    for (let i = 0; (await outboundMessages()).length < 2; i++) {
      expect(i).toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const hold = await t.hub.graphql<{ placeLegalHold: { id: string } }>(
      'mutation($p: ID!) { placeLegalHold(patientId: $p, reason: "Litigation") { id } }',
      { p: survivor },
      ADMIN,
    );
    expect(hold.errors).toBeUndefined();
    const refused = await t.hub.graphql(ERASE, { p: survivor, reason: 'DPO-7' }, ADMIN);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ reason: 'LEGAL_HOLD' });
    expect(await documentsOf([survivor])).toHaveLength(1);
    const release = await t.hub.graphql(
      'mutation($id: ID!) { releaseLegalHold(id: $id, reason: "Closed") { id } }',
      { id: hold.data!.placeLegalHold.id },
      ADMIN,
    );
    expect(release.errors).toBeUndefined();

    const res = await t.hub.graphql<{ erasePatient: { mergedRecordsErased: number } }>(
      ERASE,
      { p: survivor, reason: 'DPO-7' },
      ADMIN,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.erasePatient.mergedRecordsErased).toBe(1);
    expect(await documentsOf([loser, survivor])).toEqual([]);
    const links = await inDb((em) =>
      em.count(RecordLink, { recordId: { $in: [documentId, appointmentId] } }),
    );
    expect(links).toBe(0);

    const rows = await inDb((em) =>
      em.find(
        IntegrationMessage,
        { $or: [{ patientId: { $in: [loser, survivor] } }, { controlId: 'MDM-LOSER-BAD' }] },
        { populate: ['raw'] },
      ),
    );
    const byControlId = new Map(rows.map((row) => [row.controlId, row]));
    for (const controlId of ['REG-LOSER', 'MDM-LOSER-1', 'A40-1', 'A08-SURV-1', 'MDM-LOSER-BAD'])
      expect(byControlId.get(controlId)).toMatchObject({
        raw: '',
        patientKeyIndex: null,
        records: [],
      });
    expect(byControlId.get('MDM-LOSER-1')!.status).toBe('processed');

    const outbound = await outboundMessages();
    expect(outbound.map((m) => [m.status, m.lastErrorCode, m.text])).toEqual(
      outbound.map(() => ['ERROR', 'CG_ERR_HL7_PATIENT_ERASED', '']),
    );
    const retry = await t.hub.graphql(
      'mutation($id: ID!) { retryOutboundMessage(id: $id) { status } }',
      { id: outbound[0]!.id },
      ADMIN,
    );
    expect(retry.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    // No stored message is found by the erased patient's identifier any more.
    const search = await t.hub.graphql<{ integrationMessages: { edges: unknown[] } }>(
      '{ integrationMessages(text: "MRN-LOSER", first: 10) { edges { cursor } } }',
      {},
      ADMIN,
    );
    expect(search.data!.integrationMessages.edges).toEqual([]);

    // The stripped row still recognises a resend: answered as a duplicate, nothing re-created.
    const resend = await t.send(withId(about(MDM_T02, 'MRN-LOSER'), 'MDM-LOSER-1'));
    expect(resend.get('MSA-1')).toBe('AA');
    expect(await documentsOf([loser, survivor])).toEqual([]);
  });
});
