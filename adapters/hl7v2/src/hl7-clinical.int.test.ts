/**
 * The clinical appliers end to end over a real MLLP socket: SIU appointments, VXU immunizations,
 * PPR problems, RDE medication orders and MDM documents (and ORU results, whose observation
 * logic the problems share). Each is acknowledged AA once applied,
 * stored PROCESSED with the records it touched, applied once when sent again under a new control
 * id (nothing changes: same records, same `updatedAt`), follows updates, cancellations and
 * deletions, and answers a message about an unknown record with AE and ERR-3 204. The records
 * are read back over GraphQL as a physician on the patient's primary-care team.
 */
import { CareEventType, Role } from '@caregraph/schema';
import {
  MDM_T02,
  ORU_LAB,
  message,
  msh,
  ppr,
  rde,
  seg,
  siu,
} from './mappings/fixtures/messages.js';
import { startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

let t: Hl7TestHub;
let npi: string;

/** The message with MSH-10 replaced. */
function withId(text: string, controlId: string): string {
  const [header, ...rest] = text.split('\r');
  const fields = header!.split('|');
  fields[9] = controlId;
  return [fields.join('|'), ...rest].join('\r');
}

const MESSAGES = `query($text: String) {
  integrationMessages(text: $text, first: 10) {
    edges { node { status controlId ackCode errorCode errorLocation records patientId } }
  }
}`;

interface StoredMessage {
  status: string;
  ackCode: string;
  errorCode: string | null;
  errorLocation: string | null;
  records: string[];
  patientId: string | null;
}

async function stored(controlId: string): Promise<StoredMessage> {
  const res = await t.hub.graphql<{
    integrationMessages: { edges: { node: StoredMessage & { controlId: string } }[] };
  }>(MESSAGES, { text: controlId }, { role: Role.ADMIN });
  expect(res.errors).toBeUndefined();
  const row = res.data!.integrationMessages.edges.find((e) => e.node.controlId === controlId);
  expect(row).toBeDefined();
  return row!.node;
}

/** Sends a message and returns its stored row after checking the ACK code. */
async function apply(text: string, controlId: string, ack = 'AA'): Promise<StoredMessage> {
  const response = await t.send(withId(text, controlId));
  expect(response.get('MSA-1')).toBe(ack);
  expect(response.get('MSA-2')).toBe(controlId);
  return stored(controlId);
}

/** Sends a message expected to fail and returns the ACK's ERR-3 code and the stored row. */
async function reject(text: string, controlId: string) {
  const response = await t.send(withId(text, controlId));
  expect(response.get('MSA-1')).toBe('AE');
  return { code: response.get('ERR-3.1'), row: await stored(controlId) };
}

const refs = (row: StoredMessage, type: string) =>
  row.records.filter((ref) => ref.startsWith(`${type}/`)).sort();

const CHART = `query($id: ID!) {
  patient(id: $id) {
    appointments(first: 50) { edges { node {
      id status start end location description cancellationReason cancelledAt updatedAt
      serviceType { code } practitioner { npi } participants { actorType role }
    } } }
    immunizations(first: 50) { edges { node {
      id status vaccineCode { code } occurrenceAt lotNumber site route updatedAt
    } } }
    conditions(first: 50) { edges { node {
      id code { code } clinicalStatus verificationStatus onsetDate abatementDate note updatedAt
    } } }
    medicationRequests(first: 50) { edges { node {
      id status medication { code } dosageText quantity refillsAllowed updatedAt requester { npi }
    } } }
    observations(first: 50) { edges { node { id code { code } valueQuantity updatedAt } } }
  }
}`;

type Node = Record<string, unknown> & { id: string; updatedAt: string };
type Chart = Record<
  'appointments' | 'immunizations' | 'conditions' | 'medicationRequests' | 'observations',
  Node[]
>;

/** The patient's clinical records, read as a physician on their care team. */
async function chart(patientId: string): Promise<Chart> {
  const res = await t.hub.graphql<{ patient: Record<keyof Chart, { edges: { node: Node }[] }> }>(
    CHART,
    { id: patientId },
    { role: Role.PHYSICIAN },
  );
  expect(res.errors).toBeUndefined();
  const patient = res.data!.patient;
  const nodes = (key: keyof Chart) => patient[key].edges.map((edge) => edge.node);
  return {
    appointments: nodes('appointments'),
    immunizations: nodes('immunizations'),
    conditions: nodes('conditions'),
    medicationRequests: nodes('medicationRequests'),
    observations: nodes('observations'),
  };
}

/**
 * Registers a patient with the demo physician as primary care provider (PD1-4 by NPI): the
 * physician's primary-care team then holds the patient, so the physician may read their chart.
 */
async function register(pid: string, controlId: string): Promise<string> {
  const adt = message(
    msh('ADT^A28^ADT_A05', { 10: controlId }),
    seg('EVN', { 1: 'A28', 2: '20240101090000' }),
    pid,
    seg('PD1', { 4: `${npi}^DEMO^PHYSICIAN^^^^^^NPI` }),
  );
  const row = await apply(adt, controlId);
  expect(row.status).toBe('PROCESSED');
  return row.patientId!;
}

const PID_MIN = seg('PID', { 1: '1', 3: 'MRN123456^^^GENHOSP^MR', 5: 'GARCÍA^María' });
const PID_KIDD = seg('PID', {
  1: '1',
  3: 'MRN555^^^PEDS^MR',
  5: 'KIDD^Timmy',
  7: '20200310',
  8: 'M',
});
let maria: string;
let timmy: string;

beforeAll(async () => {
  t = await startHl7TestHub();
  const me = await t.hub.graphql<{ me: { practitioner: { npi: string } | null } }>(
    '{ me { practitioner { npi } } }',
    {},
    { role: Role.PHYSICIAN },
  );
  expect(me.errors).toBeUndefined();
  npi = me.data!.me.practitioner!.npi;
  maria = await register(PID_MIN, 'REG-MARIA');
  timmy = await register(PID_KIDD, 'REG-TIMMY');
}, 120_000); // a hub boots slowly on PGlite when other suites share the cores

afterAll(async () => {
  await t?.stop();
});

/** Another patient's copy of a message (a failure holds the patient's later messages back). */
const otherPatient = (text: string, mrn: string) => text.replace('MRN123456', mrn);

describe('SIU appointments', () => {
  const appointmentsOf = async () => (await chart(maria)).appointments;

  it('books on S12, once however often it is sent, and derives AppointmentBooked', async () => {
    const booked = await apply(siu('S12'), 'SIU-S12-1');
    expect(booked.status).toBe('PROCESSED');
    expect(booked.patientId).toBe(maria);
    const [ref] = refs(booked, 'Appointment');
    expect(ref).toBeDefined();
    const id = ref!.split('/')[1];
    const event = await t.hub.waitForEvent(
      (e) => e.type === CareEventType.APPOINTMENT_BOOKED && e.subject.id === id,
    );
    expect(event.patientId).toBe(maria);
    const [appointment] = await appointmentsOf();
    expect(appointment).toMatchObject({
      id,
      status: 'BOOKED',
      start: '2024-01-15T14:30:00.000Z',
      end: '2024-01-15T15:00:00.000Z',
      description: 'Follow-up visit',
      serviceType: { code: '99213' },
      practitioner: { npi: '1234567893' },
    });
    expect(appointment!.location).toContain('CLINIC-A');
    expect(appointment!.participants).toEqual([
      { actorType: 'Patient', role: 'SBJ' },
      { actorType: 'Practitioner', role: 'ATND' },
    ]);

    const again = await apply(siu('S12'), 'SIU-S12-2');
    expect(again.status).toBe('PROCESSED');
    expect(refs(again, 'Appointment')).toEqual([ref]);
    expect(await appointmentsOf()).toEqual([appointment]);
  });

  it('reschedules (S13), cancels (S15) once, and deletes (S17) without removing the row', async () => {
    const later = { 11: '^^^20240116100000-0500^20240116103000-0500' };
    await apply(siu('S13', later), 'SIU-S13-1');
    let [appointment] = await appointmentsOf();
    expect(appointment).toMatchObject({ status: 'BOOKED', start: '2024-01-16T15:00:00.000Z' });

    const cancelled = await apply(siu('S15', { ...later, 25: 'Cancelled' }), 'SIU-S15-1');
    const id = refs(cancelled, 'Appointment')[0]!.split('/')[1];
    await t.hub.waitForEvent(
      (e) => e.type === CareEventType.APPOINTMENT_CANCELLED && e.subject.id === id,
    );
    [appointment] = await appointmentsOf();
    expect(appointment).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'Patient cancelled',
      cancelledAt: '2024-01-10T08:55:00.000Z',
    });
    await apply(siu('S15', { ...later, 25: 'Cancelled' }), 'SIU-S15-2');
    expect(await appointmentsOf()).toEqual([appointment]);

    await apply(siu('S17', later), 'SIU-S17-1');
    const after = await appointmentsOf();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: appointment!.id, status: 'ENTERED_IN_ERROR' });
  });

  it('records a no-show (S26) of an appointment found by its placer id only', async () => {
    const ids = { 1: 'PL-90^EPIC', 2: '' };
    const booked = await apply(siu('S12', ids), 'SIU-S12-90');
    const ref = refs(booked, 'Appointment')[0];
    const noShow = await apply(siu('S26', ids), 'SIU-S26-90');
    expect(refs(noShow, 'Appointment')).toEqual([ref]);
    const appointment = (await appointmentsOf()).find((a) => `Appointment/${a.id}` === ref);
    expect(appointment).toMatchObject({ status: 'NO_SHOW' });
  });

  it('answers an event about an unknown appointment with AE 204 at SCH-2', async () => {
    const unknown = otherPatient(siu('S14', { 1: 'PL-404^EPIC', 2: 'FL-404^SCHED' }), 'MRN-404-A');
    const { code, row } = await reject(unknown, 'SIU-S14-404');
    expect(code).toBe('204');
    expect(row).toMatchObject({ status: 'ERROR', errorLocation: 'SCH-2', records: [] });
  });

  it('refuses an S12 without a patient (AE 101 at PID)', async () => {
    const withoutPid = siu('S12', { 1: 'PL-101', 2: 'FL-101' })
      .split('\r')
      .filter((segment) => !segment.startsWith('PID|'))
      .join('\r');
    const { code, row } = await reject(withoutPid, 'SIU-S12-101');
    expect(code).toBe('101');
    expect(row.errorLocation).toBe('PID');
  });
});

/** A VXU^V04 of Timmy with one RXA. */
function vxu(rxa: Readonly<Record<number, string>>): string {
  return message(
    msh('VXU^V04^VXU_V04', { 3: 'EHR', 4: 'PEDS' }),
    PID_KIDD,
    seg('ORC', { 1: 'RE', 3: 'IZ-1^PEDS' }),
    seg('RXA', {
      1: '0',
      2: '1',
      3: '20240105101500',
      5: '08^HepB, adolescent or pediatric^CVX',
      6: '0.5',
      7: 'mL^milliliter^UCUM',
      15: 'L123ABC',
      20: 'CP',
      21: 'A',
      ...rxa,
    }),
    seg('RXR', { 1: 'IM^Intramuscular^HL70162', 2: 'LA^Left arm^HL70163' }),
  );
}

describe('VXU immunizations', () => {
  const history = () =>
    message(
      vxu({}),
      seg('RXA', { 1: '0', 2: '1', 3: '20240105', 5: '03^MMR^CVX', 6: '999', 20: 'RE' }),
      seg('RXA', { 1: '0', 2: '1', 3: '20231201', 5: '20^DTaP^CVX', 20: 'CP', 21: 'D' }),
    );
  const immunizationsOf = async () =>
    (await chart(timmy)).immunizations.sort((a, b) =>
      String(a.occurrenceAt).localeCompare(String(b.occurrenceAt)),
    );

  it('stores a vaccination history once, skipping the deletion of one never stored', async () => {
    const first = await apply(history(), 'VXU-1');
    expect(first.status).toBe('PROCESSED');
    expect(refs(first, 'Immunization')).toHaveLength(2);
    const stored = await immunizationsOf();
    expect(stored).toEqual([
      expect.objectContaining({ vaccineCode: { code: '03' }, status: 'NOT_DONE' }),
      expect.objectContaining({
        vaccineCode: { code: '08' },
        status: 'COMPLETED',
        occurrenceAt: '2024-01-05T10:15:00.000Z',
        lotNumber: 'L123ABC',
        route: 'Intramuscular',
        site: 'Left arm',
      }),
    ]);

    const again = await apply(history(), 'VXU-2');
    expect(refs(again, 'Immunization')).toEqual(refs(first, 'Immunization'));
    expect(await immunizationsOf()).toEqual(stored);
  });

  it('updates (RXA-21 U, matched by date) and deletes (D: entered-in-error)', async () => {
    const update = await apply(vxu({ 3: '20240105', 15: 'L999XYZ', 21: 'U' }), 'VXU-U');
    expect(refs(update, 'Immunization')).toHaveLength(1);
    const hepB = (await immunizationsOf()).find(
      (i) => (i.vaccineCode as { code: string }).code === '08',
    );
    expect(hepB).toMatchObject({ lotNumber: 'L999XYZ', occurrenceAt: '2024-01-05T10:15:00.000Z' });
    expect(await immunizationsOf()).toHaveLength(2);

    await apply(vxu({ 21: 'D' }), 'VXU-D');
    const after = await immunizationsOf();
    expect(after).toHaveLength(2);
    expect(after.find((i) => i.id === hepB!.id)).toMatchObject({ status: 'ENTERED_IN_ERROR' });
  });
});

describe('PPR problems', () => {
  const problemsOf = async () => (await chart(maria)).conditions;

  it('adds a problem and its observation (PC1) once', async () => {
    const added = await apply(ppr('PC1'), 'PPR-PC1-1');
    expect(added.status).toBe('PROCESSED');
    expect(refs(added, 'Condition')).toHaveLength(1);
    expect(refs(added, 'Observation')).toHaveLength(1);
    const before = await chart(maria);
    expect(before.conditions).toEqual([
      expect.objectContaining({
        code: { code: 'I10' },
        clinicalStatus: 'ACTIVE',
        verificationStatus: 'CONFIRMED',
        onsetDate: '2022-11-01',
        note: 'Home BP log reviewed',
      }),
    ]);
    const systolic = before.observations.filter(
      (o) => (o.code as { code: string }).code === '8480-6',
    );
    expect(systolic).toEqual([expect.objectContaining({ valueQuantity: 148 })]);

    const again = await apply(ppr('PC1'), 'PPR-PC1-2');
    expect(again.records.sort()).toEqual(added.records.sort());
    const after = await chart(maria);
    expect(after.conditions).toEqual(before.conditions);
    expect(after.observations).toEqual(before.observations);
  });

  it('updates (PC2) and deletes (PC3: entered-in-error) the problem by its instance id', async () => {
    const resolved = { 9: '20240101', 14: 'R^Resolved' };
    await apply(ppr('PC2', { ...resolved, 3: 'I10^Hypertension, essential^I10' }), 'PPR-PC2-1');
    let [problem] = await problemsOf();
    expect(problem).toMatchObject({ clinicalStatus: 'RESOLVED', abatementDate: '2024-01-01' });

    await apply(ppr('PC3', resolved), 'PPR-PC3-1');
    const after = await problemsOf();
    expect(after).toHaveLength(1);
    problem = after[0];
    expect(problem).toMatchObject({ verificationStatus: 'ENTERED_IN_ERROR' });
  });

  it('answers an update of an unknown problem with AE 204 at PRB-4', async () => {
    const unknown = otherPatient(
      ppr('PC2', { 3: 'E11.9^Diabetes^I10', 4: 'PRB-404' }),
      'MRN-404-B',
    );
    const { code, row } = await reject(unknown, 'PPR-PC2-404');
    expect(code).toBe('204');
    expect(row).toMatchObject({ status: 'ERROR', errorLocation: 'PRB-4' });
  });
});

describe('RDE medication orders', () => {
  const ordersOf = async () => (await chart(maria)).medicationRequests;
  const second = { 2: 'RX-1002^CPOE', 3: 'PH-2002^PHARM' };

  it('places an order (NW) once', async () => {
    const placed = await apply(rde('O11'), 'RDE-NW-1');
    expect(placed.status).toBe('PROCESSED');
    expect(refs(placed, 'MedicationRequest')).toHaveLength(1);
    const before = await ordersOf();
    expect(before).toEqual([
      expect.objectContaining({
        status: 'ACTIVE',
        medication: { code: '308191' },
        quantity: 30,
        refillsAllowed: 1,
        requester: { npi: '1234567893' },
      }),
    ]);
    expect(before[0]!.dosageText).toMatch(/^500 mg .*Q8H$/);

    const again = await apply(rde('O11'), 'RDE-NW-2');
    expect(refs(again, 'MedicationRequest')).toEqual(refs(placed, 'MedicationRequest'));
    expect(await ordersOf()).toEqual(before);
  });

  it('changes (XO), cancels (CA) and stops (DC) orders found by their numbers', async () => {
    const changed = await apply(rde('O11', { 1: 'XO' }).replace('|500|', '|250|'), 'RDE-XO-1');
    const [order] = await ordersOf();
    expect(`MedicationRequest/${order!.id}`).toBe(refs(changed, 'MedicationRequest')[0]);
    expect(order!.dosageText).toMatch(/^250 mg /);

    await apply(rde('O11', { 1: 'CA' }), 'RDE-CA-1');
    expect(await ordersOf()).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);

    await apply(rde('O01', second), 'RDE-NW-3');
    await apply(rde('O01', { ...second, 1: 'DC' }), 'RDE-DC-1');
    const statuses = (await ordersOf()).map((o) => o.status).sort();
    expect(statuses).toEqual(['CANCELLED', 'STOPPED']);
  });

  it('answers a cancellation of an unknown order with AE 204 at ORC-2', async () => {
    const unknown = otherPatient(
      rde('O11', { 1: 'CA', 2: 'RX-404^CPOE', 3: 'PH-404^PHARM' }),
      'MRN-404-C',
    );
    const { code, row } = await reject(unknown, 'RDE-CA-404');
    expect(code).toBe('204');
    expect(row).toMatchObject({ status: 'ERROR', errorLocation: 'ORC-2' });
  });
});

describe('MDM documents', () => {
  it('stores a document once per unique document number', async () => {
    const first = await apply(MDM_T02, 'MDM-1');
    expect(first.status).toBe('PROCESSED');
    expect(first.patientId).toBe(maria);
    const documents = refs(first, 'ClinicalDocument');
    expect(documents).toHaveLength(1);

    const again = await apply(MDM_T02, 'MDM-2');
    expect(refs(again, 'ClinicalDocument')).toEqual(documents);

    const amended = await apply(MDM_T02.replace('BP improved', 'BP much improved'), 'MDM-3');
    expect(refs(amended, 'ClinicalDocument')).toEqual(documents);

    const other = await apply(MDM_T02.replace('DOC-42^', 'DOC-43^'), 'MDM-4');
    expect(refs(other, 'ClinicalDocument')).toHaveLength(1);
    expect(refs(other, 'ClinicalDocument')).not.toEqual(documents);
  });

  it('refuses a document without a unique document number (AE 101 at TXA-12)', async () => {
    const unnumbered = otherPatient(MDM_T02.replace('DOC-42^DICTATION', ''), 'MRN-404-D');
    const { code, row } = await reject(unnumbered, 'MDM-101');
    expect(code).toBe('101');
    expect(row.errorLocation).toBe('TXA-12');
  });
});

describe('ORU results (the observation logic problems reuse)', () => {
  const potassium = async () =>
    (await chart(maria)).observations.filter((o) => (o.code as { code: string }).code === '2823-3');

  it('applies a result once, and a correction replaces its value', async () => {
    const first = await apply(ORU_LAB, 'ORU-1');
    expect(first.status).toBe('PROCESSED');
    const before = await chart(maria);
    const again = await apply(ORU_LAB, 'ORU-2');
    expect(refs(again, 'Observation')).toEqual(refs(first, 'Observation'));
    expect((await chart(maria)).observations).toEqual(before.observations);

    const corrected = ORU_LAB.replace(
      '|5.6|mmol/L^^UCUM|3.5-5.0|H|||F|',
      '|4.1|mmol/L^^UCUM|3.5-5.0|N|||C|',
    );
    expect(corrected).not.toBe(ORU_LAB);
    await apply(corrected, 'ORU-3');
    expect(await potassium()).toEqual([expect.objectContaining({ valueQuantity: 4.1 })]);
  });
});
