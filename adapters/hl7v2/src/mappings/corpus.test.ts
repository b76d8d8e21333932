/**
 * The project corpus (real-world-shaped messages from public packages, see
 * ../message/fixtures/SOURCES.md) through the parser and the mappings, with values from the files.
 */
import {
  AdministrativeGender,
  ContactPointSystem,
  ContactPointUse,
  EncounterClass,
  EncounterStatus,
  ObservationStatus,
} from '@caregraph/schema';
import { Hl7Error, parseMessage, splitBatch } from '../message/index.js';
import { fixture, fixtureNames } from '../message/test-support.js';
import { catchMapping, mapAs } from './fixtures/test-support.js';
import { mapMessage } from './map-message.js';
import { MappingError } from './mapping-error.js';

const name = (family: string, ...given: string[]) => ({ family, given, prefix: [], suffix: [] });

describe('corpus: every message maps, is not mapped, or fails with a coded error', () => {
  it.each(fixtureNames())('%s', (file) => {
    let msg;
    try {
      msg = parseMessage(fixture(file));
    } catch (error) {
      // Rejected by the parser (no MSH, a batch, broken lines): not the mappings' concern.
      expect(error).toBeInstanceOf(Hl7Error);
      return;
    }
    try {
      expect(mapMessage(msg).kind).toMatch(/^[a-z-]+$/);
    } catch (error) {
      expect(error).toBeInstanceOf(MappingError);
      expect((error as MappingError).hl7Code).not.toBe('207');
    }
  });
});

describe('corpus: ORU^R01 lab results', () => {
  it('hl7-isabella_jones_lipid_panel: patient, panel, five NM results with ranges and flags', () => {
    const record = mapAs(fixture('hl7-isabella_jones_lipid_panel.hl7'), 'results');
    const { patient, orders } = record.results[0]!;
    expect(patient).toEqual({
      identifiers: [
        {
          system: 'urn:hl7v2:Priority%20Health',
          value: '94000000000',
          assigner: 'Priority Health',
        },
      ],
      names: [name('JONES', 'ISABELLA', 'ISA')],
      birthDate: '1975-05-01',
      gender: AdministrativeGender.FEMALE,
    });
    expect(orders[0]!.serviceCode).toEqual({
      system: 'urn:hl7v2:local:XXXX',
      code: 'JLPF',
      display: 'Lipid Panel - C',
    });
    expect(orders[0]!.fillerOrderNumber).toBe('185L29839X64489JLPF');
    const rows = orders[0]!.observations.map((o) => [
      o.code.code,
      o.valueQuantity,
      o.unit,
      o.referenceRangeLow,
      o.referenceRangeHigh,
      o.interpretation,
      o.outOfRange,
    ]);
    expect(rows).toEqual([
      ['JHDL', 62, 'mg/dL', 40, undefined, undefined, false],
      ['JTRIG', 72, 'mg/dL', 35, 150, undefined, false],
      ['JVLDL', 14, 'mg/dL', undefined, undefined, undefined, false],
      ['JLDL', 134, 'mg/dL', 0, 100, 'H', true],
      ['JCHO', 210, 'mg/dL', 90, 200, 'H', true],
    ]);
    for (const o of orders[0]!.observations) {
      expect(o.status).toBe(ObservationStatus.FINAL);
      expect(o.effectiveAt).toEqual(new Date('2008-05-11T10:35:00Z'));
      expect(o.issuedAt).toEqual(new Date('2008-05-11T10:35:29Z'));
    }
  });

  it('hl7-isabella_jones_multiple_tests: two panels, LOINC alternates preferred', () => {
    const { orders } = mapAs(fixture('hl7-isabella_jones_multiple_tests.hl7'), 'results')
      .results[0]!;
    expect(orders.map((o) => [o.serviceCode.code, o.observations.length])).toEqual([
      ['0009-1', 7],
      ['3427-2', 18],
    ]);
    expect(orders[0]!.observations[0]).toMatchObject({
      code: { system: 'http://loinc.org', code: '2093-3', display: 'CHOLESTEROL' },
      valueQuantity: 120,
      unit: 'mg/dl',
      referenceRangeText: '< 200',
      referenceRangeHigh: 200,
      outOfRange: false,
    });
    const egfr = orders[1]!.observations.find((o) => o.code.code === '090013-4')!;
    expect(egfr).toMatchObject({
      code: { system: 'urn:hl7v2:cs:BRLI' },
      valueQuantity: 62,
      referenceRangeLow: 60,
    });
    const potassium = orders[1]!.observations.find((o) => o.code.code === '2823-3')!;
    expect(potassium).toMatchObject({
      valueQuantity: 4,
      unit: 'mmol/L',
      referenceRangeLow: 3.3,
      referenceRangeHigh: 5.3,
    });
    expect(orders[1]!.observedAt).toEqual(new Date('2010-05-06T00:00:00Z'));
  });

  it('hl7-sample (CR only, v2.4): an SN value with a flag and an unparseable range kept as text', () => {
    const { patient, orders } = mapAs(fixture('hl7-sample.hl7'), 'results').results[0]!;
    expect(patient.identifiers).toEqual([{ system: 'urn:hl7v2:ELAB-3', value: '555-44-4444' }]);
    expect(patient.names).toEqual([{ ...name('EVERYWOMAN', 'EVE', 'E'), use: 'official' }]);
    expect(patient.telecom).toEqual([
      { system: ContactPointSystem.PHONE, value: '(206)3345232', use: ContactPointUse.HOME },
      { system: ContactPointSystem.PHONE, value: '(206)752-121', use: ContactPointUse.WORK },
    ]);
    expect(patient.address).toEqual([
      { line: ['153 FERNWOOD DR.'], city: 'STATESVILLE', state: 'OH', postalCode: '35292' },
    ]);
    expect(orders[0]!.observations[0]).toMatchObject({
      code: { code: '1554-5', display: 'GLUCOSE' },
      valueType: 'SN',
      valueQuantity: 182,
      unit: 'mg/dl',
      referenceRangeText: '70_105',
      interpretation: 'H',
      outOfRange: true,
    });
    expect(orders[0]!.observations[0]!.referenceRangeLow).toBeUndefined();
  });

  it('hl7-sample3: the same lab shape for another patient', () => {
    const { patient, orders } = mapAs(fixture('hl7-sample3.hl7'), 'results').results[0]!;
    expect(patient.names).toEqual([name('LASTNAME', 'FIRSTNAME', 'INIT')]);
    expect(patient.gender).toBe(AdministrativeGender.MALE);
    expect(orders[0]!.observations.map((o) => o.valueQuantity)).toEqual([62, 72, 14, 134, 210]);
  });

  it('nodehl7-birp_ORUR01 (v2.2): ST and CE results with the NTE lines of each OBX', () => {
    const { orders } = mapAs(fixture('nodehl7-birp_ORUR01.hl7'), 'results').results[0]!;
    expect(orders).toHaveLength(2);
    expect(orders[0]!.placerOrderNumber).toBe('8642753100012');
    expect(orders[0]!.observations[0]).toMatchObject({
      valueString: 'FINALREPORT',
      status: ObservationStatus.FINAL,
    });
    expect(orders[0]!.observations[0]!.effectiveAt).toEqual(new Date('1998-07-29T16:05:00Z'));
    expect(orders[1]!.observations.map((o) => [o.valueCode?.code, o.note])).toEqual([
      ['M415', 'MORAXELLA (BRANHAMELLA) CATARRHALIS\nHEAVY GROWTH\nBETA LACTAMASE POSITIVE'],
      ['MR105', 'ROUTINE RESPIRATORY FLORA'],
    ]);
  });

  it('nodehl7-bicp_ORUR01: OBX-4 missing shifts the units into OBX-5: a 102 at OBX-1-5', () => {
    const error = catchMapping(() => mapMessage(parseMessage(fixture('nodehl7-bicp_ORUR01.hl7'))));
    expect(error.hl7Code).toBe('102');
    expect(error.location).toEqual({ segment: 'OBX', sequence: 1, field: 5 });
  });

  it('simple-hl7-oru-imm: OBX without a result status (OBX-11, OBR-25): a 101 at OBX-1-11', () => {
    const error = catchMapping(() =>
      mapMessage(parseMessage(fixture('simple-hl7-oru-imm-hl7.hl7'))),
    );
    expect(error.hl7Code).toBe('101');
    expect(error.location).toEqual({ segment: 'OBX', sequence: 1, field: 11 });
  });
});

describe('corpus: ADT', () => {
  it.each(['hl7-sample2.hl7', 'hl7-sample4.hl7', 'simple-hl7-adt-hl7.hl7'])(
    '%s: A04 outpatient registration',
    (file) => {
      const record = mapAs(fixture(file), 'adt');
      expect(record.event).toBe('A04');
      expect(record.patient.identifiers).toEqual([
        { system: 'urn:hl7v2:EPICADT', value: '454721' },
      ]);
      expect(record.patient.names).toEqual([name('DOE', 'JOHN')]);
      expect(record.patient.birthDate).toBe('1948-02-03');
      expect(record.patient.address).toEqual([
        {
          line: ['254 MYSTREET AVE'],
          city: 'MYTOWN',
          state: 'OH',
          postalCode: '44123',
          country: 'USA',
        },
      ]);
      expect(record.relatedPersons[0]).toMatchObject({
        relationship: 'SPS',
        name: name('ROE', 'MARIE'),
      });
      expect(record.encounter).toMatchObject({
        action: 'register',
        class: EncounterClass.AMBULATORY,
        status: EncounterStatus.IN_PROGRESS,
        visitNumber: '2688684',
        periodStart: new Date('1999-12-27T14:08:00Z'),
        attending: { id: '277', name: name('ALLEN MYLASTNAME', 'BONNIE') },
      });
    },
  );

  it('hl7-sample4: three NK1 segments', () => {
    const record = mapAs(fixture('hl7-sample4.hl7'), 'adt');
    expect(record.relatedPersons.map((p) => p.name.given[0])).toEqual(['MARIE', 'JOHN', 'ROBERT']);
  });

  it('hl7-standard-message (A01, Z-segment, ROL, PD1): patient, NK1, encounter, PCP', () => {
    const record = mapAs(fixture('hl7-standard-message.hl7'), 'adt');
    expect(record.patient).toMatchObject({
      identifiers: [{ system: 'urn:hl7v2:General%20Hospital:EPI', value: '4019060', type: 'EPI' }],
      names: [name('MotherToBe', 'Jane', 'A')],
      birthDate: '1965-06-01',
      gender: AdministrativeGender.FEMALE,
      deceased: false,
      maritalStatus: { system: 'http://terminology.hl7.org/CodeSystem/v2-0002', code: 'M' },
    });
    expect(record.relatedPersons).toEqual([
      {
        relationship: 'FRND',
        relationshipCode: { system: 'http://terminology.hl7.org/CodeSystem/v2-0063', code: 'FRND' },
        name: name('KNIGHT', 'STORMY'),
        telecom: [
          { system: ContactPointSystem.PHONE, value: '(612)554-7474', use: ContactPointUse.HOME },
        ],
        address: [
          { line: ['123 Main St'], city: 'EDINA', state: 'MN', postalCode: '55416', country: 'US' },
        ],
      },
    ]);
    expect(record.encounter).toMatchObject({
      action: 'admit',
      class: EncounterClass.AMBULATORY, // PV1-2 says OP
      location: 'LDR^LA1^01^NMMC',
      visitNumber: '6090648',
      periodStart: new Date('2007-05-10T09:25:00Z'),
    });
    expect(record.primaryCareProvider).toEqual({
      id: '2725',
      idSystem: 'urn:hl7v2:General%20Hospital',
      name: name('McCoy', 'Leonard'),
    });
  });

  it('nodehl7-ADTA01: the A01, a malformed NK1-9 dropped, the start from EVN-2', () => {
    const record = mapAs(fixture('nodehl7-ADTA01.hl7'), 'adt');
    expect(record.patient.identifiers).toEqual([{ system: 'urn:hl7v2:DH', value: 'MRN12345' }]);
    expect(record.patient.names).toEqual([{ ...name('APPLESEED', 'JOHN', 'A'), suffix: ['III'] }]);
    expect(record.patient.gender).toBe(AdministrativeGender.MALE);
    expect(record.relatedPersons).toEqual([
      {
        relationship: 'WIFE',
        relationshipCode: { system: 'http://terminology.hl7.org/CodeSystem/v2-0063', code: 'WIFE' },
        name: name('APPLESEED', 'BARBARA', 'J'),
        telecom: [],
        address: [],
      },
    ]);
    expect(record.encounter).toMatchObject({
      class: EncounterClass.INPATIENT,
      location: '2000^2012^01',
      periodStart: new Date('2013-01-01T12:23:00Z'),
      periodStartKnown: false,
      attending: { id: '004777', name: name('GOOD', 'SIDNEY', 'J.') },
    });
  });

  it('hl7-standard-batch: each message on its own; its A01 has no PV1 (required): a 101 at PV1', () => {
    const [adt, rsp] = splitBatch(fixture('hl7-standard-batch.hl7')).messages.map((m) =>
      parseMessage(m),
    );
    const error = catchMapping(() => mapMessage(adt!));
    expect(error.hl7Code).toBe('101');
    expect(error.location).toEqual({ segment: 'PV1' });
    expect(mapMessage(rsp!).kind).toBe('not-mapped');
  });
});

describe('corpus: stored, not mapped', () => {
  it.each([
    ['simple-hl7-orm-hl7.hl7', 'ORM^O01'],
    ['hl7-standard-message2.hl7', 'ACK^V01'],
    ['hl7-standard-message3.hl7', 'RSP^K11'],
  ])('%s (%s)', (file, type) => {
    expect(mapMessage(parseMessage(fixture(file)))).toEqual({
      kind: 'not-mapped',
      messageType: type,
      reason: `${type} has no mapping: stored, not applied`,
    });
  });
});
