/**
 * Restricted clinical documents, end to end: MDM^T02 messages sent over a real MLLP socket carry
 * TXA-18 (confidentiality) and TXA-2 (type); the adapter labels each document in core's terms
 * and `clinicalDocuments` / `clinicalDocument` withhold what core withholds from the caller. A
 * care coordinator on the patient's care team (clinical reads, no `sensitiveClinical` grant)
 * sees only the usual-control documents; a physician on the same team (with the grant) sees
 * them all; a later MDM that changes TXA-18 relabels the document; reads are audited as core
 * audits its own labelled lists.
 */
import { Role } from '@caregraph/schema';
import { message, msh, seg } from './mappings/fixtures/messages.js';
import { startHl7ClinicianHub, type Hl7ClinicianHub } from './testing/clinician-hub.js';

let h: Hl7ClinicianHub;
let physician: { userId: string; token: string };
let coordinator: { userId: string; token: string };
let maria: string;

/** An MDM^T02 with one document about María. */
function mdm(controlId: string, doc: { number: string; type: string; confidentiality?: string }) {
  return message(
    msh('MDM^T02^MDM_T02', { 3: 'DICTATION', 10: controlId }),
    seg('EVN', { 1: 'T02', 2: '20240105160000' }),
    seg('PID', { 1: '1', 3: 'MRN-SENS-1^^^GENHOSP^MR', 5: 'GARCÍA^María' }),
    seg('TXA', {
      1: '1',
      2: doc.type,
      3: 'TX',
      4: '20240105153000',
      12: `${doc.number}^DICTATION`,
      17: 'AU',
      ...(doc.confidentiality ? { 18: doc.confidentiality } : ({} as Record<number, string>)),
    }),
    seg('OBX', { 1: '1', 2: 'TX', 3: 'NOTE^Note text', 5: `Text of ${doc.number}.`, 11: 'F' }),
  );
}

async function send(text: string): Promise<void> {
  const ack = await h.send(text);
  expect(ack.get('MSA-1')).toBe('AA');
}

const DOCUMENTS = `query($patientId: ID!) { clinicalDocuments(patientId: $patientId, first: 50) {
  edges { node { id documentNumber securityLabels content } } } }`;
const DOCUMENT = `query($id: ID!) { clinicalDocument(id: $id) { id documentNumber content } }`;

interface DocumentNode {
  id: string;
  documentNumber: string;
  securityLabels: string[];
  content: string;
}

/** The documents `token` sees, by number (their labels and text). */
async function visible(token: string): Promise<Record<string, Omit<DocumentNode, 'id'>>> {
  const res = await h.t.graphql<{ clinicalDocuments: { edges: { node: DocumentNode }[] } }>(
    DOCUMENTS,
    { patientId: maria },
    { token },
  );
  expect(res.body.errors).toBeUndefined();
  return Object.fromEntries(
    res.body.data!.clinicalDocuments.edges.map(({ node: { id: _id, ...rest } }) => [
      rest.documentNumber,
      rest,
    ]),
  );
}

/** The id of a document by its number (as the physician, who sees every one). */
async function idOf(number: string): Promise<string> {
  const res = await h.t.graphql<{ clinicalDocuments: { edges: { node: DocumentNode }[] } }>(
    DOCUMENTS,
    { patientId: maria },
    { token: physician.token },
  );
  return res.body.data!.clinicalDocuments.edges.find((e) => e.node.documentNumber === number)!.node
    .id;
}

async function readAudit(userId: string) {
  const res = await h.t.graphql<{
    auditEvents: {
      edges: { node: { type: string; outcome: string; detail: { categories: string[] } } }[];
    };
  }>(
    `query($patientId: ID!, $actorId: ID!) {
      auditEvents(patientId: $patientId, actorId: $actorId, action: "R", first: 100) {
        edges { node { type outcome detail } } } }`,
    { patientId: maria, actorId: userId },
    { role: Role.ADMIN },
    { 'x-purpose-of-use': 'HCOMPL' },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body
    .data!.auditEvents.edges.map((edge) => edge.node)
    .filter((row) => row.type === 'patient.read');
}

beforeAll(async () => {
  h = await startHl7ClinicianHub();
  const me = await h.t.graphql<{ me: { id: string; practitioner: { id: string; npi: string } } }>(
    '{ me { id practitioner { id npi } } }',
    {},
    { role: Role.PHYSICIAN },
  );
  expect(me.body.errors).toBeUndefined();
  const { id: userId, practitioner } = me.body.data!.me;
  physician = { userId, token: await h.t.token({ role: Role.PHYSICIAN }) };
  // The same practitioner's care relationships, with a role that reads clinical data only.
  coordinator = await h.userWith([Role.CARE_COORDINATOR], practitioner.id);
  // María has the physician as primary care provider (PD1-4): on their care team.
  await send(
    message(
      msh('ADT^A28^ADT_A05', { 10: 'SENS-REG' }),
      seg('EVN', { 1: 'A28', 2: '20240101090000' }),
      seg('PID', { 1: '1', 3: 'MRN-SENS-1^^^GENHOSP^MR', 5: 'GARCÍA^María' }),
      seg('PD1', { 4: `${practitioner.npi}^DEMO^PHYSICIAN^^^^^^NPI` }),
    ),
  );
  await send(mdm('SENS-1', { number: 'SENS-U', type: 'PR^Progress note', confidentiality: 'U' }));
  await send(mdm('SENS-2', { number: 'SENS-R', type: 'PR^Progress note', confidentiality: 'R' }));
  await send(
    mdm('SENS-3', { number: 'SENS-V', type: 'DS^Discharge summary', confidentiality: 'V' }),
  );
  await send(mdm('SENS-4', { number: 'SENS-PC', type: 'PC^Psychiatric consultation' }));
  const stored = await h.t.graphql<{
    integrationMessages: { edges: { node: { controlId: string; patientId: string } }[] };
  }>(
    `{ integrationMessages(text: "SENS-REG", first: 5) { edges { node { controlId patientId } } } }`,
    {},
    { role: Role.ADMIN },
  );
  expect(stored.body.errors).toBeUndefined();
  maria = stored.body.data!.integrationMessages.edges.find((e) => e.node.controlId === 'SENS-REG')!
    .node.patientId;
}, 120_000); // a hub boots slowly on PGlite when other suites share the cores

afterAll(async () => {
  await h?.stop();
});

describe('restricted documents (TXA-18 R/V, sensitive TXA-2 types)', () => {
  it('are withheld from a care-team clinician without the sensitiveClinical grant', async () => {
    expect(await visible(coordinator.token)).toEqual({
      'SENS-U': { documentNumber: 'SENS-U', securityLabels: [], content: 'Text of SENS-U.' },
    });
    for (const number of ['SENS-R', 'SENS-V', 'SENS-PC']) {
      const res = await h.t.graphql(
        DOCUMENT,
        { id: await idOf(number) },
        {
          token: coordinator.token,
        },
      );
      expect(res.body).toEqual({ data: { clinicalDocument: null } });
    }
  });

  it('are shown to a care-team clinician with the grant, labelled', async () => {
    expect(await visible(physician.token)).toEqual({
      'SENS-U': { documentNumber: 'SENS-U', securityLabels: [], content: 'Text of SENS-U.' },
      'SENS-R': { documentNumber: 'SENS-R', securityLabels: ['R'], content: 'Text of SENS-R.' },
      'SENS-V': { documentNumber: 'SENS-V', securityLabels: ['V'], content: 'Text of SENS-V.' },
      'SENS-PC': {
        documentNumber: 'SENS-PC',
        securityLabels: ['PSY'],
        content: 'Text of SENS-PC.',
      },
    });
    const one = await h.t.graphql<{ clinicalDocument: { content: string } }>(
      DOCUMENT,
      { id: await idOf('SENS-V') },
      { token: physician.token },
    );
    expect(one.body.data!.clinicalDocument.content).toBe('Text of SENS-V.');
  });

  it('are audited as core audits its labelled lists', async () => {
    const granted = await readAudit(physician.userId);
    expect(granted.length).toBeGreaterThan(0);
    for (const row of granted)
      expect(row.detail.categories).toEqual(
        expect.arrayContaining(['clinical', 'sensitiveClinical']),
      );
    const withheld = await readAudit(coordinator.userId);
    expect(withheld.length).toBeGreaterThan(0);
    for (const row of withheld)
      expect(row).toMatchObject({ outcome: '0', detail: { categories: ['clinical'] } });
  });

  it("follow the patient's privacy consents for sensitive types, as core's records do", async () => {
    const res = await h.t.graphql(
      `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
      {
        input: {
          patientId: maria,
          scope: 'PATIENT_PRIVACY',
          purpose: 'TREATMENT',
          decision: 'DENY',
          securityLabels: ['PSY'],
          source: 'signed-form',
        },
      },
      { token: physician.token },
    );
    expect(res.body.errors).toBeUndefined();
    // The refusal withholds the psychiatric consultation; R and V need only the grant.
    expect(Object.keys(await visible(physician.token)).sort()).toEqual([
      'SENS-R',
      'SENS-U',
      'SENS-V',
    ]);
  });

  it('are relabelled by a later MDM that changes TXA-18', async () => {
    await send(mdm('SENS-5', { number: 'SENS-U', type: 'PR^Progress note', confidentiality: 'V' }));
    await send(mdm('SENS-6', { number: 'SENS-R', type: 'PR^Progress note', confidentiality: 'U' }));
    expect(await visible(coordinator.token)).toEqual({
      'SENS-R': { documentNumber: 'SENS-R', securityLabels: [], content: 'Text of SENS-R.' },
    });
    expect((await visible(physician.token))['SENS-U']).toMatchObject({ securityLabels: ['V'] });
    // An MDM without TXA-18 keeps the document's status, and so its label.
    await send(mdm('SENS-7', { number: 'SENS-U', type: 'PR^Progress note' }));
    expect(Object.keys(await visible(coordinator.token))).toEqual(['SENS-R']);
  });
});
