import {
  ConditionClinicalStatus,
  ImmunizationStatus,
  MedicationRequestStatus,
  VerificationStatus,
} from '@caregraph/schema';
import { MDM_T02, PID_MIN, VXU_V04, message, msh, ppr, rde, seg } from './fixtures/messages.js';
import { catchMapping, mapAs, parse } from './fixtures/test-support.js';
import { mapMessage } from './map-message.js';

describe('VXU^V04 immunizations', () => {
  const record = mapAs(VXU_V04, 'immunizations');

  it('maps one immunization per RXA, with RXR route and site', () => {
    expect(record.mappingVersion).toBe('vxu-1');
    expect(record.patient.birthDate).toBe('2020-03-10');
    expect(record.immunizations[0]).toEqual({
      action: 'add',
      vaccineCode: {
        system: 'http://hl7.org/fhir/sid/cvx',
        code: '08',
        display: 'HepB, adolescent or pediatric',
      },
      status: ImmunizationStatus.COMPLETED,
      completionStatus: 'CP',
      occurrenceAt: new Date('2024-01-05T10:15:00Z'),
      lotNumber: 'L123ABC',
      route: 'Intramuscular',
      site: 'Left arm',
      doseQuantity: 0.5,
      doseUnit: 'mL',
      manufacturer: {
        system: 'http://terminology.hl7.org/CodeSystem/MVX',
        code: 'MSD',
        display: 'Merck',
      },
      performer: {
        id: '7824',
        idSystem: 'urn:hl7v2:NIST-PI-1:PRN',
        name: { use: 'official', family: 'JACKSON', given: ['LILLY'], prefix: [], suffix: [] },
      },
    });
  });

  it('a refusal is not-done (dose 999 = unknown left out); RXA-21 D is entered-in-error', () => {
    const [, refused, deleted] = record.immunizations;
    expect(refused).toMatchObject({
      action: 'add',
      status: ImmunizationStatus.NOT_DONE,
      completionStatus: 'RE',
    });
    expect(refused!.doseQuantity).toBeUndefined();
    expect(refused!.occurrenceAt).toEqual(new Date('2024-01-05T00:00:00Z'));
    expect(deleted).toMatchObject({
      action: 'delete',
      status: ImmunizationStatus.ENTERED_IN_ERROR,
    });
    expect(deleted!.vaccineCode.code).toBe('20');
  });

  it('an RXA without a date is a 101 at RXA-n-3; no RXA is a 101 at RXA', () => {
    const noDate = message(
      msh('VXU^V04'),
      PID_MIN,
      seg('RXA', { 1: '0', 2: '1', 5: '08^HepB^CVX' }),
    );
    expect(catchMapping(() => mapMessage(parse(noDate))).location).toEqual({
      segment: 'RXA',
      sequence: 1,
      field: 3,
    });
    const none = message(msh('VXU^V04'), PID_MIN);
    expect(catchMapping(() => mapMessage(parse(none))).location).toEqual({ segment: 'RXA' });
  });
});

describe('MDM^T02 documents', () => {
  it('maps the TXA metadata and the OBX text', () => {
    const record = mapAs(MDM_T02, 'document');
    expect(record.mappingVersion).toBe('mdm-1');
    expect(record.visitNumber).toBe('V3003');
    expect(record.document).toEqual({
      documentType: {
        system: 'http://terminology.hl7.org/CodeSystem/v2-0270',
        code: 'PN',
        display: 'Progress note',
      },
      uniqueDocumentNumber: 'DOC-42',
      completionStatus: 'AU',
      status: 'final',
      confidentiality: 'R',
      activityAt: new Date('2024-01-05T15:30:00Z'),
      author: {
        npi: '1234567893',
        name: { family: 'WELBY', given: ['MARCUS'], prefix: [], suffix: [] },
      },
      text: 'Patient seen for follow-up.\nBP improved on lisinopril.',
    });
  });

  it('leaves attachments (ED) out of the text', () => {
    const withPdf = message(
      MDM_T02,
      seg('OBX', { 1: '3', 2: 'ED', 3: 'PDF^Scan', 5: '^AP^PDF^Base64^JVBERi0x', 11: 'F' }),
    );
    expect(mapAs(withPdf, 'document').document.text).toBe(
      'Patient seen for follow-up.\nBP improved on lisinopril.',
    );
  });

  it('a dictated (DI) document is preliminary; no TXA-2 is a 101 at TXA-1-2', () => {
    expect(mapAs(MDM_T02.replace('|AU|', '|DI|'), 'document').document.status).toBe('preliminary');
    const noType = MDM_T02.replace('TXA|1|PN^Progress note|', 'TXA|1||');
    expect(catchMapping(() => mapMessage(parse(noType))).location).toEqual({
      segment: 'TXA',
      sequence: 1,
      field: 2,
    });
  });
});

describe('PPR problems', () => {
  it('PC1 adds a problem with its notes and observations', () => {
    const record = mapAs(ppr('PC1'), 'problems');
    expect(record).toMatchObject({ event: 'PC1', action: 'add', mappingVersion: 'ppr-1' });
    const problem = record.problems[0]!;
    expect({ ...problem, observations: undefined }).toEqual({
      actionCode: 'AD',
      problemInstanceId: 'PRB-9',
      code: {
        system: 'http://hl7.org/fhir/sid/icd-10-cm',
        code: 'I10',
        display: 'Essential hypertension',
      },
      clinicalStatus: ConditionClinicalStatus.ACTIVE,
      verificationStatus: VerificationStatus.CONFIRMED,
      category: 'problem-list-item',
      onsetDate: '2022-11-01',
      recordedAt: new Date('2023-01-15T00:00:00Z'),
      note: 'Home BP log reviewed',
      observations: undefined,
    });
    expect(problem.observations).toHaveLength(1);
    expect(problem.observations[0]).toMatchObject({
      code: { code: '8480-6' },
      valueQuantity: 148,
      unit: 'mm[Hg]',
    });
  });

  it('PC2 updates (resolved, with an abatement date, provisional)', () => {
    const record = mapAs(
      ppr('PC2', { 9: '20240101', 13: 'P^Provisional', 14: 'R^Resolved' }),
      'problems',
    );
    expect(record.action).toBe('update');
    expect(record.problems[0]).toMatchObject({
      actionCode: 'UP',
      clinicalStatus: ConditionClinicalStatus.RESOLVED,
      verificationStatus: VerificationStatus.PROVISIONAL,
      abatementDate: '2024-01-01',
    });
  });

  it('PC3 deletes', () => {
    const record = mapAs(ppr('PC3'), 'problems');
    expect(record.action).toBe('delete');
    expect(record.problems[0]).toMatchObject({ actionCode: 'DE', problemInstanceId: 'PRB-9' });
  });

  it('a PRB without PRB-3 is a 101 at PRB-1-3', () => {
    expect(catchMapping(() => mapMessage(parse(ppr('PC1', { 3: '' })))).location).toEqual({
      segment: 'PRB',
      sequence: 1,
      field: 3,
    });
  });
});

describe('RDE pharmacy orders', () => {
  it.each(['O11', 'O01'] as const)(
    'RDE^%s maps drug, dose, route, frequency, dispense',
    (trigger) => {
      const record = mapAs(rde(trigger), 'medication-orders');
      expect(record).toMatchObject({ event: trigger, mappingVersion: 'rde-1' });
      expect(record.orders).toEqual([
        {
          orderControl: 'NW',
          placerOrderNumber: 'RX-1001',
          fillerOrderNumber: 'PH-2001',
          medication: {
            system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
            code: '308191',
            display: 'Amoxicillin 500 MG Oral Capsule',
          },
          status: MedicationRequestStatus.ACTIVE,
          intent: 'order',
          dose: 500,
          doseUnit: 'mg',
          route: 'Oral',
          frequency: 'Q8H',
          quantity: 30,
          quantityUnit: 'CAP',
          refillsAllowed: 1,
          authoredOn: new Date('2024-01-05T14:00:00Z'),
          requester: {
            npi: '1234567893',
            name: { family: 'WELBY', given: ['MARCUS'], prefix: [], suffix: [] },
          },
          dosageText: '500 mg Oral Q8H',
          note: 'Take with food',
        },
      ]);
    },
  );

  it.each([
    [{ 1: 'CA' }, MedicationRequestStatus.CANCELLED],
    [{ 1: 'DC' }, MedicationRequestStatus.STOPPED],
    [{ 1: 'HD' }, MedicationRequestStatus.ON_HOLD],
    [{ 1: 'SC', 5: 'CM' }, MedicationRequestStatus.COMPLETED],
  ])('ORC %j gives %s', (orc, status) => {
    expect(mapAs(rde('O11', orc), 'medication-orders').orders[0]!.status).toBe(status);
  });

  it('an order control outside table 0119 is a 103 at ORC-1-1; a dose that is not a number a 102', () => {
    expect(catchMapping(() => mapMessage(parse(rde('O11', { 1: 'ZZ' })))).location).toEqual({
      segment: 'ORC',
      sequence: 1,
      field: 1,
    });
    const badDose = rde('O11').replace('|500|', '|five hundred|');
    const error = catchMapping(() => mapMessage(parse(badDose)));
    expect(error.hl7Code).toBe('102');
    expect(error.location).toEqual({ segment: 'RXE', sequence: 1, field: 3 });
  });
});
