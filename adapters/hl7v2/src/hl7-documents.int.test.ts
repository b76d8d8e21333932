/**
 * Clinical documents over GraphQL (HTTP), end to end: MDM^T02 messages sent over a real MLLP
 * socket are read back with `clinicalDocuments` / `clinicalDocument` under core's rules for
 * clinical data. A physician on the patient's care team reads them (text decrypted, author
 * linked, newest first, keyset pages); the same physician is refused another patient's documents
 * until they break the glass; roles without clinical reads are refused; every decision is in the
 * access audit; the source message id is for interface operators only.
 */
import { Role } from '@caregraph/schema';
import { message, msh, seg } from './mappings/fixtures/messages.js';
import { startHl7ClinicianHub, type Hl7ClinicianHub } from './testing/clinician-hub.js';

let h: Hl7ClinicianHub;
let physician: { userId: string; token: string; practitionerId: string; npi: string };
let maria: string;
let outsider: string;

type Caller = { role: Role } | { token: string };

async function gql<T>(query: string, variables: Record<string, unknown>, as: Caller) {
  return (await h.t.graphql<T>(query, variables, as)).body;
}

/** An MDM^T02 with one progress note about the patient with MRN `mrn`. */
function mdm(controlId: string, mrn: string, doc: { number: string; at: string; lines: string[] }) {
  return message(
    msh('MDM^T02^MDM_T02', { 3: 'DICTATION', 10: controlId }),
    seg('EVN', { 1: 'T02', 2: '20240105160000' }),
    seg('PID', { 1: '1', 3: `${mrn}^^^GENHOSP^MR`, 5: 'GARCÍA^María' }),
    seg('TXA', {
      1: '1',
      2: 'PN^Progress note',
      3: 'TX',
      4: doc.at,
      9: '1234567893^WELBY^MARCUS^^^^^^NPI',
      12: `${doc.number}^DICTATION`,
      17: 'AU',
    }),
    ...doc.lines.map((line, i) =>
      seg('OBX', { 1: String(i + 1), 2: 'TX', 3: 'NOTE^Note text', 5: line, 11: 'F' }),
    ),
  );
}

/** The stored message of a control id (as an operator). */
async function stored(
  controlId: string,
): Promise<{ id: string; patientId: string; records: string[] }> {
  const res = await gql<{
    integrationMessages: {
      edges: { node: { id: string; controlId: string; patientId: string; records: string[] } }[];
    };
  }>(
    `query($text: String) { integrationMessages(text: $text, first: 10) {
      edges { node { id controlId patientId records } } } }`,
    { text: controlId },
    { role: Role.ADMIN },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.integrationMessages.edges.find((e) => e.node.controlId === controlId)!.node;
}

/** Sends a message, expects AA, and returns its stored row. */
async function apply(text: string, controlId: string) {
  const ack = await h.send(text);
  expect(ack.get('MSA-1')).toBe('AA');
  return stored(controlId);
}

const documentId = (row: { records: string[] }) =>
  row.records.find((ref) => ref.startsWith('ClinicalDocument/'))!.slice('ClinicalDocument/'.length);

const DOCUMENTS = `query($patientId: ID!, $first: Int, $after: String) {
  clinicalDocuments(patientId: $patientId, first: $first, after: $after) {
    edges { cursor node {
      id patientId documentNumber type { system code display } status authoredAt title content
      contentType author { npi name { family given } }
    } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface DocumentNode {
  id: string;
  documentNumber: string;
  authoredAt: string;
  content: string;
  [key: string]: unknown;
}
interface DocumentPage {
  clinicalDocuments: {
    edges: { cursor: string; node: DocumentNode }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  } | null;
}

const DOCUMENT = `query($id: ID!) { clinicalDocument(id: $id) { id documentNumber content } }`;

interface AuditRow {
  type: string;
  outcome: string;
  actorUserId: string;
  purposeOfUse: string;
  patientId: string;
  detail: {
    categories: string[];
    denied?: string[];
    basis: string[];
    breakGlassSessionIds?: string[];
  };
}

/** The access audit rows of a patient written for `userId` (read as the privacy office). */
async function accessAudit(patientId: string, userId: string): Promise<AuditRow[]> {
  const res = await h.t.graphql<{ auditEvents: { edges: { node: AuditRow }[] } }>(
    `query($patientId: ID!, $actorId: ID!) {
      auditEvents(patientId: $patientId, actorId: $actorId, action: "R", first: 100) {
        edges { node { type outcome actorUserId purposeOfUse patientId detail } } } }`,
    { patientId, actorId: userId },
    { role: Role.ADMIN },
    { 'x-purpose-of-use': 'HCOMPL' },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body
    .data!.auditEvents.edges.map((edge) => edge.node)
    .filter((row) => row.type === 'patient.read');
}

const codeOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  res.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  h = await startHl7ClinicianHub();
  const me = await gql<{ me: { id: string; practitioner: { id: string; npi: string } } }>(
    '{ me { id practitioner { id npi } } }',
    {},
    { role: Role.PHYSICIAN },
  );
  expect(me.errors).toBeUndefined();
  physician = {
    userId: me.data!.me.id,
    token: await h.t.token({ role: Role.PHYSICIAN }),
    practitionerId: me.data!.me.practitioner.id,
    npi: me.data!.me.practitioner.npi,
  };
  // María has the demo physician as primary care provider (PD1-4): on their care team.
  const registered = await apply(
    message(
      msh('ADT^A28^ADT_A05', { 10: 'REG-MARIA' }),
      seg('EVN', { 1: 'A28', 2: '20240101090000' }),
      seg('PID', { 1: '1', 3: 'MRN-DOC-1^^^GENHOSP^MR', 5: 'GARCÍA^María' }),
      seg('PD1', { 4: `${physician.npi}^DEMO^PHYSICIAN^^^^^^NPI` }),
    ),
    'REG-MARIA',
  );
  maria = registered.patientId;
  const notes = [
    {
      number: 'DOC-1',
      at: '20240105153000',
      lines: ['Patient seen for follow-up.', 'BP improved.'],
    },
    { number: 'DOC-2', at: '20240210090000', lines: ['Second visit.'] },
    { number: 'DOC-3', at: '20240315110000', lines: ['Third visit.'] },
  ];
  for (const [i, note] of notes.entries())
    await apply(mdm(`MDM-M${i}`, 'MRN-DOC-1', note), `MDM-M${i}`);
  // A patient the physician has no relationship with (the MDM registers them, with no PD1).
  const other = await apply(
    mdm('MDM-O1', 'MRN-DOC-2', { number: 'DOC-9', at: '20240401080000', lines: ['Outside note.'] }),
    'MDM-O1',
  );
  outsider = other.patientId;
}, 120_000); // a hub boots slowly on PGlite when other suites share the cores

afterAll(async () => {
  await h?.stop();
});

describe('clinicalDocuments', () => {
  it('gives a clinician on the care team the documents MDM T02 messages sent, decrypted', async () => {
    const res = await gql<DocumentPage>(
      DOCUMENTS,
      { patientId: maria },
      { token: physician.token },
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.clinicalDocuments!.edges.map((edge) => edge.node);
    expect(nodes.map((n) => n.documentNumber)).toEqual(['DOC-3', 'DOC-2', 'DOC-1']);
    expect(nodes[2]).toEqual({
      id: expect.any(String),
      patientId: maria,
      documentNumber: 'DOC-1',
      type: {
        system: 'http://terminology.hl7.org/CodeSystem/v2-0270',
        code: 'PN',
        display: 'Progress note',
      },
      status: 'final',
      authoredAt: '2024-01-05T15:30:00.000Z',
      title: 'Progress note',
      content: 'Patient seen for follow-up.\nBP improved.',
      contentType: 'text/plain',
      author: { npi: '1234567893', name: { family: 'WELBY', given: ['MARCUS'] } },
    });

    const one = await gql<{ clinicalDocument: DocumentNode }>(
      DOCUMENT,
      { id: nodes[0]!.id },
      { token: physician.token },
    );
    expect(one.errors).toBeUndefined();
    expect(one.data!.clinicalDocument).toEqual({
      id: nodes[0]!.id,
      documentNumber: 'DOC-3',
      content: 'Third visit.',
    });

    // At rest the text is ciphertext only.
    const [row] = await h.t.sql<{ text: string }>(
      'select text from hl7_clinical_document where id = ?',
      [nodes[2]!.id],
    );
    expect(row!.text).not.toContain('follow-up');
  });

  it('audits each read of the patient, with its basis', async () => {
    const rows = await accessAudit(maria, physician.userId);
    expect(rows.length).toBeGreaterThanOrEqual(2); // the list and the document by id
    for (const row of rows)
      expect(row).toMatchObject({
        outcome: '0',
        purposeOfUse: 'TREAT',
        patientId: maria,
        detail: { categories: expect.arrayContaining(['clinical']), basis: ['careTeam'] },
      });
  });

  it('pages newest first with keyset cursors', async () => {
    const first = await gql<DocumentPage>(
      DOCUMENTS,
      { patientId: maria, first: 2 },
      { token: physician.token },
    );
    const page1 = first.data!.clinicalDocuments!;
    expect(page1.edges.map((e) => e.node.documentNumber)).toEqual(['DOC-3', 'DOC-2']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await gql<DocumentPage>(
      DOCUMENTS,
      { patientId: maria, first: 2, after: page1.pageInfo.endCursor },
      { token: physician.token },
    );
    const page2 = second.data!.clinicalDocuments!;
    expect(page2.edges.map((e) => e.node.documentNumber)).toEqual(['DOC-1']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('answers bad arguments with BAD_USER_INPUT at their path', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [DOCUMENTS, { patientId: maria, first: 0 }, 'first'],
      [DOCUMENTS, { patientId: maria, first: 101 }, 'first'],
      [DOCUMENTS, { patientId: maria, after: 'not-a-cursor' }, 'after'],
      [DOCUMENTS, { patientId: 'not-an-id' }, 'patientId'],
      [DOCUMENT, { id: 'not-an-id' }, 'id'],
    ];
    for (const [query, variables, path] of cases) {
      const res = await gql(query, variables, { token: physician.token });
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        invalidFields: [{ path: [path] }],
      });
    }
  });
});

describe('access without a care relationship', () => {
  it('refuses a clinician with no relationship to the patient, and audits the refusal', async () => {
    const list = await gql<DocumentPage>(
      DOCUMENTS,
      { patientId: outsider },
      { token: physician.token },
    );
    expect(codeOf(list)).toBe('FORBIDDEN');
    expect(list.data).toBeNull();

    const { records } = await stored('MDM-O1');
    const id = documentId({ records });
    const one = await gql(DOCUMENT, { id }, { token: physician.token });
    expect(codeOf(one)).toBe('FORBIDDEN');
    expect(JSON.stringify(one)).not.toContain('Outside note');

    const rows = await accessAudit(outsider, physician.userId);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows)
      expect(row).toMatchObject({ outcome: '8', detail: { categories: [], denied: ['clinical'] } });
  });

  it('refuses roles without clinical reads, even on the care team of the patient', async () => {
    for (const role of [Role.FRONT_DESK, Role.ADMIN, Role.INTEGRATION, Role.ANALYST]) {
      const res = await gql<DocumentPage>(DOCUMENTS, { patientId: maria }, { role });
      expect(codeOf(res)).toBe('FORBIDDEN');
    }
    const anonymous = await h.t.graphql(DOCUMENTS, { patientId: maria });
    expect(codeOf(anonymous.body)).toBe('UNAUTHENTICATED');
  });

  it('grants the documents after break-the-glass, audited as an emergency access', async () => {
    const glass = await gql<{ breakGlass: { id: string } }>(
      `mutation($patientId: ID!) { breakGlass(patientId: $patientId, reason: "Unresponsive in the ED, need the notes") { id } }`,
      { patientId: outsider },
      { token: physician.token },
    );
    expect(glass.errors).toBeUndefined();
    const session = glass.data!.breakGlass.id;

    const res = await gql<DocumentPage>(
      DOCUMENTS,
      { patientId: outsider },
      { token: physician.token },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.clinicalDocuments!.edges.map((e) => e.node.content)).toEqual([
      'Outside note.',
    ]);

    const granted = (await accessAudit(outsider, physician.userId)).filter(
      (r) => r.outcome === '0',
    );
    expect(granted).toEqual([
      expect.objectContaining({
        purposeOfUse: 'ETREAT',
        detail: expect.objectContaining({
          // The list asks which sensitive labels to withhold: none under an emergency override.
          categories: ['clinical', 'sensitiveClinical'],
          basis: ['breakGlass'],
          breakGlassSessionIds: [session],
        }),
      }),
    ]);
  });
});

describe('sourceMessageId', () => {
  const SOURCE = `query($patientId: ID!) { clinicalDocuments(patientId: $patientId, first: 10) {
    edges { node { documentNumber sourceMessageId } } } }`;
  type SourcePage = {
    clinicalDocuments: {
      edges: { node: { documentNumber: string; sourceMessageId: string | null } }[];
    };
  };

  it('is withheld from a clinician who does not run the interface', async () => {
    const res = await gql<SourcePage>(SOURCE, { patientId: maria }, { token: physician.token });
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.errors![0]!.path).toEqual([
      'clinicalDocuments',
      'edges',
      0,
      'node',
      'sourceMessageId',
    ]);
    expect(res.data!.clinicalDocuments.edges[0]!.node).toEqual({
      documentNumber: 'DOC-3',
      sourceMessageId: null,
    });
  });

  it('names the message that last wrote the document, for a clinician who is also an operator', async () => {
    const operator = await h.userWith([Role.PHYSICIAN, Role.ADMIN], physician.practitionerId);
    const sources = async () => {
      const res = await gql<SourcePage>(SOURCE, { patientId: maria }, { token: operator.token });
      expect(res.errors).toBeUndefined();
      return Object.fromEntries(
        res.data!.clinicalDocuments.edges.map((e) => [
          e.node.documentNumber,
          e.node.sourceMessageId,
        ]),
      );
    };
    const original = await stored('MDM-M0');
    expect((await sources())['DOC-1']).toBe(original.id);

    const note = {
      number: 'DOC-1',
      at: '20240105153000',
      lines: ['Patient seen for follow-up.', 'BP improved.'],
    };
    await apply(mdm('MDM-M0-RESEND', 'MRN-DOC-1', note), 'MDM-M0-RESEND');
    expect((await sources())['DOC-1']).toBe(original.id); // a resend changes nothing

    const amended = await apply(
      mdm('MDM-M0-AMEND', 'MRN-DOC-1', {
        ...note,
        lines: ['Patient seen for follow-up.', 'BP much improved.'],
      }),
      'MDM-M0-AMEND',
    );
    expect((await sources())['DOC-1']).toBe(amended.id);
  });
});
