import {
  AdministrativeGender,
  ContactPointSystem,
  ContactPointUse,
  EncounterClass,
  EncounterStatus,
} from '@caregraph/schema';
import {
  ADT_A01,
  ADT_A08_CLEAR,
  ADT_A40,
  PID_MIN,
  adt,
  message,
  msh,
  seg,
} from './fixtures/messages.js';
import { catchMapping, mapAs, parse } from './fixtures/test-support.js';
import { mapMessage } from './map-message.js';
import { PRIMARY_CARE_ROLE } from './records.js';

describe('ADT A01 (admit), every part of the record', () => {
  const record = mapAs(ADT_A01, 'adt');

  it('is versioned adt-1 and carries the event and its time (EVN-6)', () => {
    expect(record.event).toBe('A01');
    expect(record.mappingVersion).toBe('adt-1');
    expect(record.occurredAt).toEqual(new Date('2024-01-05T15:20:00Z'));
  });

  it('maps PID-3: every repetition, with the identifier system rule', () => {
    expect(record.patient.identifiers).toEqual([
      {
        system: 'urn:hl7v2:GENHOSP:MR',
        value: 'MRN123456',
        type: 'MR',
        assigner: 'GENHOSP',
      },
      { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999887777', type: 'SS', assigner: 'SSA' },
      {
        system: 'urn:oid:2.16.840.1.113883.19.5',
        value: '5551234',
        type: 'PI',
        assigner: '2.16.840.1.113883.19.5',
      },
    ]);
  });

  it('maps names, birth date, gender, address (not the birth place), language, marital status', () => {
    const p = record.patient;
    expect(p.names).toEqual([
      { use: 'official', family: 'GARCÍA', given: ['María', 'José'], prefix: ['Dra.'], suffix: [] },
      { use: 'nickname', family: 'GARCIA', given: ['Mary'], prefix: [], suffix: [] },
    ]);
    expect(p.birthDate).toBe('1980-02-15');
    expect(p.gender).toBe(AdministrativeGender.FEMALE);
    expect(p.address).toEqual([
      {
        use: 'home',
        line: ['12 Oak St', 'Apt 4'],
        city: 'Springfield',
        state: 'IL',
        postalCode: '62701',
        country: 'USA',
      },
    ]);
    expect(p.preferredLanguage).toBe('es');
    expect(p.maritalStatus).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/v2-0002',
      code: 'M',
      display: 'Married',
    });
    expect(p.deceased).toBeUndefined();
    expect(p.deceasedAt).toBeUndefined();
  });

  it('maps PID-13 (home: phone, e-mail, mobile from parts) and PID-14 (work) into telecom', () => {
    expect(record.patient.telecom).toEqual([
      { system: ContactPointSystem.PHONE, value: '(217)555-0101', use: ContactPointUse.HOME },
      { system: ContactPointSystem.EMAIL, value: 'maria@example.org', use: ContactPointUse.HOME },
      { system: ContactPointSystem.PHONE, value: '+1 (217) 5550102', use: ContactPointUse.MOBILE },
      { system: ContactPointSystem.PHONE, value: '(217)555-0199', use: ContactPointUse.WORK },
    ]);
  });

  it('maps NK1 persons (relationship to a v3 RoleCode, or the contact role) and skips organisations', () => {
    expect(record.relatedPersons).toEqual([
      {
        relationship: 'SPS',
        relationshipCode: {
          system: 'http://terminology.hl7.org/CodeSystem/v2-0063',
          code: 'SPO',
          display: 'Spouse',
        },
        name: { family: 'GARCÍA', given: ['Juan'], prefix: [], suffix: [] },
        telecom: [
          { system: ContactPointSystem.PHONE, value: '(217)555-0103', use: ContactPointUse.HOME },
          { system: ContactPointSystem.PHONE, value: '(217)555-0104', use: ContactPointUse.WORK },
        ],
        address: [
          {
            use: 'home',
            line: ['12 Oak St'],
            city: 'Springfield',
            state: 'IL',
            postalCode: '62701',
            country: 'USA',
          },
        ],
      },
      {
        relationship: 'NOK',
        name: { family: 'LOPEZ', given: ['Ana'], prefix: [], suffix: [] },
        telecom: [],
        address: [],
      },
    ]);
  });

  it('maps PD1-4 to the primary care provider (NPI from XCN-9)', () => {
    expect(record.primaryCareProvider).toEqual({
      npi: '1234567893',
      name: { family: 'WELBY', given: ['MARCUS', 'J'], prefix: ['DR'], suffix: ['MD'] },
    });
    expect(PRIMARY_CARE_ROLE.code).toBe('446050000');
  });

  it('maps PV1/PV2 to an in-progress inpatient encounter', () => {
    expect(record.encounter).toEqual({
      action: 'admit',
      status: EncounterStatus.IN_PROGRESS,
      class: EncounterClass.INPATIENT,
      periodStart: new Date('2024-01-05T14:00:00Z'),
      periodStartKnown: true,
      visitNumber: 'V1001',
      type: { system: 'http://terminology.hl7.org/CodeSystem/v2-0069', code: 'MED' },
      location: '4W^401^B^GENHOSP',
      attending: {
        id: '004777',
        idSystem: 'urn:hl7v2:GENHOSP',
        name: { family: 'GOOD', given: ['SIDNEY', 'J'], prefix: ['DR'], suffix: ['MD'] },
      },
      reason: 'Chest pain',
    });
  });
});

describe('ADT events: what each one does to the encounter', () => {
  const cases: [string, Record<number, string>, string, EncounterStatus, EncounterClass][] = [
    ['A01', {}, 'admit', EncounterStatus.IN_PROGRESS, EncounterClass.INPATIENT],
    [
      'A02',
      { 3: '5E^510^A', 6: '4W^401^B' },
      'transfer',
      EncounterStatus.IN_PROGRESS,
      EncounterClass.INPATIENT,
    ],
    [
      'A03',
      { 45: '20240108110000-0500' },
      'discharge',
      EncounterStatus.FINISHED,
      EncounterClass.INPATIENT,
    ],
    ['A04', { 2: 'O' }, 'register', EncounterStatus.IN_PROGRESS, EncounterClass.AMBULATORY],
    ['A05', { 2: 'P' }, 'pre-admit', EncounterStatus.PLANNED, EncounterClass.INPATIENT],
    [
      'A06',
      { 2: 'O' },
      'change-to-inpatient',
      EncounterStatus.IN_PROGRESS,
      EncounterClass.INPATIENT,
    ],
    [
      'A07',
      { 2: 'I' },
      'change-to-outpatient',
      EncounterStatus.IN_PROGRESS,
      EncounterClass.AMBULATORY,
    ],
    ['A08', { 2: 'E' }, 'update', EncounterStatus.IN_PROGRESS, EncounterClass.EMERGENCY],
    ['A11', {}, 'cancel-admit', EncounterStatus.CANCELLED, EncounterClass.INPATIENT],
    [
      'A12',
      { 3: '4W^401^B', 6: '5E^510^A' },
      'cancel-transfer',
      EncounterStatus.IN_PROGRESS,
      EncounterClass.INPATIENT,
    ],
    ['A13', {}, 'cancel-discharge', EncounterStatus.IN_PROGRESS, EncounterClass.INPATIENT],
  ];

  it.each(cases)('%s', (trigger, pv1, action, status, encounterClass) => {
    const record = mapAs(adt(trigger, pv1), 'adt');
    expect(record.event).toBe(trigger);
    expect(record.patient.identifiers[0]!.value).toBe('MRN123456');
    expect(record.encounter).toMatchObject({
      action,
      status,
      class: encounterClass,
      visitNumber: 'V1001',
    });
  });

  it('A02 carries the new location and the prior one', () => {
    const encounter = mapAs(adt('A02', { 3: '5E^510^A', 6: '4W^401^B' }), 'adt').encounter!;
    expect(encounter.location).toBe('5E^510^A');
    expect(encounter.priorLocation).toBe('4W^401^B');
  });

  it('A03 carries the discharge time; A13 clears it (null)', () => {
    const discharge = mapAs(adt('A03', { 45: '20240108110000-0500' }), 'adt').encounter!;
    expect(discharge.periodEnd).toEqual(new Date('2024-01-08T16:00:00Z'));
    const cancel = mapAs(adt('A13', { 45: '' }), 'adt').encounter!;
    expect(cancel.periodEnd).toBeNull();
  });

  it('A08 with a discharge time is finished', () => {
    const encounter = mapAs(adt('A08', { 45: '20240108110000-0500' }), 'adt').encounter!;
    expect(encounter.status).toBe(EncounterStatus.FINISHED);
  });

  it('without PV1-44 the start is the event time, flagged as not known', () => {
    const encounter = mapAs(adt('A03', { 44: '' }), 'adt').encounter!;
    expect(encounter.periodStart).toEqual(new Date('2024-01-05T15:20:00Z'));
    expect(encounter.periodStartKnown).toBe(false);
  });

  it.each(['A28', 'A31'])(
    '%s is about the person only: no encounter even with a PV1',
    (trigger) => {
      const record = mapAs(adt(trigger, { 2: 'N' }), 'adt');
      expect(record.event).toBe(trigger);
      expect(record.encounter).toBeUndefined();
      expect(record.patient.names?.[0]?.family).toBe('GARCÍA');
    },
  );

  it('A08 without a visit (no PV1, or class N without PV1-19) updates the person only', () => {
    expect(mapAs(adt('A08', null), 'adt').encounter).toBeUndefined();
    expect(mapAs(adt('A08', { 2: 'N', 19: '' }), 'adt').encounter).toBeUndefined();
    expect(mapAs(adt('A08', { 2: 'N' }), 'adt').encounter?.visitNumber).toBe('V1001');
  });

  it('A31 without a PV1 maps', () => {
    const record = mapAs(adt('A31', null), 'adt');
    expect(record.patient.birthDate).toBe('1980-02-15');
  });

  it('an unknown ADT trigger (A17) is stored, not mapped', () => {
    const record = mapMessage(parse(adt('A17')));
    expect(record).toEqual({
      kind: 'not-mapped',
      messageType: 'ADT^A17',
      reason: 'ADT^A17 has no mapping: stored, not applied',
    });
  });
});

describe('ADT demographics: "" clears, empty leaves', () => {
  const patient = mapAs(ADT_A08_CLEAR, 'adt').patient;

  it('null for "" (birth date, phones, language), undefined for empty fields', () => {
    expect(patient.birthDate).toBeNull();
    expect(patient.telecom).toBeNull();
    expect(patient.preferredLanguage).toBeNull();
    expect(patient.address).toBeUndefined();
    expect(patient.maritalStatus).toBeUndefined();
    expect('address' in patient).toBe(false);
  });

  it('maps death (PID-29/30)', () => {
    expect(patient.deceased).toBe(true);
    expect(patient.deceasedAt).toEqual(new Date('2024-01-06T12:15:00Z'));
  });

  it('a birth date sent to the month only is left undefined (Patient holds full dates)', () => {
    const pid = seg('PID', { 1: '1', 3: 'MRN1^^^GENHOSP^MR', 5: 'X^Y', 7: '198002' });
    const record = mapAs(adt('A31', null, pid), 'adt');
    expect(record.patient.birthDate).toBeUndefined();
  });

  it('a birth date with a time keeps the calendar date as sent', () => {
    const pid = seg('PID', { 1: '1', 3: 'MRN1^^^GENHOSP^MR', 7: '198002152330+1400' });
    expect(mapAs(adt('A31', null, pid), 'adt').patient.birthDate).toBe('1980-02-15');
  });
});

describe('ADT errors', () => {
  it('no PID-3 is a 101 at PID-1-3', () => {
    const pid = seg('PID', { 1: '1', 5: 'GARCÍA^María' });
    const error = catchMapping(() => mapMessage(parse(adt('A01', {}, pid))));
    expect(error.hl7Code).toBe('101');
    expect(error.code).toBe('CG_ERR_HL7_REQUIRED_FIELD_MISSING');
    expect(error.location).toEqual({ segment: 'PID', sequence: 1, field: 3 });
    expect(error.message).toBe('PID-1-3 (patient identifier list) is required');
  });

  it('no PID is a 101 at PID', () => {
    const error = catchMapping(() =>
      mapMessage(parse(message(msh('ADT^A04'), seg('PV1', { 2: 'O' })))),
    );
    expect(error.hl7Code).toBe('101');
    expect(error.location).toEqual({ segment: 'PID' });
  });

  it('an admit without PV1 is a 101 at PV1', () => {
    const error = catchMapping(() => mapMessage(parse(adt('A01', null))));
    expect(error.location).toEqual({ segment: 'PV1' });
  });

  it('a gender outside table 0001 is a 103 at PID-1-8, without the value in the message', () => {
    const pid = seg('PID', { 1: '1', 3: 'MRN1^^^GENHOSP^MR', 8: 'Q' });
    const error = catchMapping(() => mapMessage(parse(adt('A31', null, pid))));
    expect(error.hl7Code).toBe('103');
    expect(error.location).toEqual({ segment: 'PID', sequence: 1, field: 8 });
    expect(error.message).toBe('PID-1-8 is not a value of HL7 table 0001');
  });

  it('a birth date that is not a date is a 102 at PID-1-7 and names no value', () => {
    const pid = seg('PID', { 1: '1', 3: 'MRN1^^^GENHOSP^MR', 7: '19801345' });
    const error = catchMapping(() => mapMessage(parse(adt('A31', null, pid))));
    expect(error.hl7Code).toBe('102');
    expect(error.location).toEqual({ segment: 'PID', sequence: 1, field: 7 });
    expect(error.message).not.toContain('19801345');
  });

  it('a patient class outside table 0004 is a 103 at PV1-1-2', () => {
    const error = catchMapping(() => mapMessage(parse(adt('A01', { 2: 'ZZ' }))));
    expect(error.hl7Code).toBe('103');
    expect(error.location).toEqual({ segment: 'PV1', sequence: 1, field: 2 });
  });
});

describe('ADT A40 (merge)', () => {
  it('names the survivor (PID-3) and the merged patient (MRG-1, use old)', () => {
    const record = mapAs(ADT_A40, 'merge');
    expect(record.mappingVersion).toBe('adt-1');
    expect(record.survivor).toEqual([
      { system: 'urn:hl7v2:GENHOSP:MR', value: 'MRN111', type: 'MR', assigner: 'GENHOSP' },
    ]);
    expect(record.merged).toEqual([
      {
        system: 'urn:hl7v2:GENHOSP:MR',
        value: 'MRN222',
        type: 'MR',
        assigner: 'GENHOSP',
        use: 'old',
      },
      { system: 'urn:hl7v2:LEGACY:MR', value: 'OLD9', type: 'MR', assigner: 'LEGACY', use: 'old' },
    ]);
    expect(record.patient.names?.[0]?.family).toBe('SMITH');
    expect(record.additionalPairs).toEqual([]);
  });

  it('keeps further PID/MRG pairs', () => {
    const text = message(
      ADT_A40,
      seg('PID', { 1: '2', 3: 'MRN333^^^GENHOSP^MR' }),
      seg('MRG', { 1: 'MRN444^^^GENHOSP^MR' }),
    );
    const record = mapAs(text, 'merge');
    expect(record.additionalPairs.map((p) => [p.survivor[0]!.value, p.merged[0]!.value])).toEqual([
      ['MRN333', 'MRN444'],
    ]);
  });

  it('no MRG-1 is a 101 at MRG-1-1', () => {
    const text = message(msh('ADT^A40'), PID_MIN, seg('MRG', { 7: 'SMITH^Jon' }));
    const error = catchMapping(() => mapMessage(parse(text)));
    expect(error.hl7Code).toBe('101');
    expect(error.location).toEqual({ segment: 'MRG', sequence: 1, field: 1 });
  });

  it('no MRG is a 101 at MRG', () => {
    const error = catchMapping(() => mapMessage(parse(message(msh('ADT^A40'), PID_MIN))));
    expect(error.location).toEqual({ segment: 'MRG' });
  });
});
