import { ObservationCategory, ObservationStatus } from '@caregraph/schema';
import { ORU_LAB, ORU_PCD01, PID_MIN, message, msh, seg } from './fixtures/messages.js';
import { catchMapping, mapAs, parse } from './fixtures/test-support.js';
import { mapMessage } from './map-message.js';
import { parseReferenceRange } from './observation.js';

describe('ORU^R01 lab results', () => {
  const record = mapAs(ORU_LAB, 'results');
  const group = record.results[0]!;
  const order = group.orders[0]!;
  const obx = (setId: string) => order.observations.find((o) => o.setId === setId)!;

  it('is versioned oru-1: one patient, its visit, one order', () => {
    expect(record.mappingVersion).toBe('oru-1');
    expect(record.results).toHaveLength(1);
    expect(group.patient.identifiers[0]).toMatchObject({
      value: 'MRN123456',
      system: 'urn:hl7v2:GENHOSP:MR',
    });
    expect(group.visitNumber).toBe('V2002');
    expect(group.orders).toHaveLength(1);
  });

  it('maps the OBR: order numbers, service code, status, times, ordering provider, notes', () => {
    expect({ ...order, observations: undefined }).toEqual({
      placerOrderNumber: 'PLC100',
      fillerOrderNumber: 'FIL200',
      serviceCode: {
        system: 'http://loinc.org',
        code: '24323-8',
        display: 'Comprehensive metabolic panel',
      },
      status: ObservationStatus.FINAL,
      statusCode: 'F',
      observedAt: new Date('2024-01-05T08:00:00Z'),
      issuedAt: new Date('2024-01-05T10:00:00Z'),
      orderingProvider: {
        npi: '1234567893',
        name: { family: 'WELBY', given: ['MARCUS'], prefix: [], suffix: [] },
      },
      note: 'Fasting specimen',
      observations: undefined,
    });
  });

  it('maps an NM result with units, range, flag and the NTE after it', () => {
    expect(obx('1')).toEqual({
      setId: '1',
      status: ObservationStatus.FINAL,
      statusCode: 'F',
      category: ObservationCategory.LABORATORY,
      code: { system: 'http://loinc.org', code: '2823-3', display: 'Potassium' },
      valueType: 'NM',
      valueQuantity: 5.6,
      unit: 'mmol/L',
      referenceRangeLow: 3.5,
      referenceRangeHigh: 5,
      referenceRangeText: '3.5-5.0',
      interpretation: 'H',
      abnormalFlags: ['H'],
      outOfRange: true,
      effectiveAt: new Date('2024-01-05T08:15:00Z'),
      issuedAt: new Date('2024-01-05T10:00:00Z'),
      note: 'Repeat advised\nCalled to ward',
    });
  });

  it('prefers the LOINC alternate code, reads "<100" as an exclusive high bound, times from OBR-7', () => {
    const glucose = obx('2');
    expect(glucose.code).toEqual({
      system: 'http://loinc.org',
      code: '2345-7',
      display: 'Glucose',
    });
    expect(glucose.valueQuantity).toBe(99);
    expect(glucose.referenceRangeHigh).toBe(100);
    expect(glucose.referenceRangeLow).toBeUndefined();
    expect(glucose.outOfRange).toBe(false);
    expect(glucose.status).toBe(ObservationStatus.CORRECTED);
    expect(glucose.effectiveAt).toEqual(new Date('2024-01-05T08:00:00Z'));
  });

  it('maps SN: a ratio and a comparator as text, never as a bare number', () => {
    expect(obx('3')).toMatchObject({ valueString: '1:128', status: ObservationStatus.PRELIMINARY });
    expect(obx('3').valueQuantity).toBeUndefined();
    expect(obx('4')).toMatchObject({ valueString: '<5', unit: 'mg/L', referenceRangeLow: 10 });
    expect(obx('4').valueQuantity).toBeUndefined();
  });

  it('maps CE to a coded value, ST repetitions to lines, DT and TS to ISO text', () => {
    expect(obx('5')).toMatchObject({
      valueCode: {
        system: 'http://snomed.info/sct',
        code: '3092008',
        display: 'Staphylococcus aureus',
      },
      abnormalFlags: ['A'],
      outOfRange: true,
    });
    expect(obx('6')).toMatchObject({
      valueString: 'Hemolysed\nResampled',
      status: ObservationStatus.CANCELLED,
    });
    expect(obx('7').valueString).toBe('2024-03-01');
    expect(obx('8').valueString).toBe('2024-01-05T12:15:00.000Z');
  });

  it('reads date/times without an offset in the configured zone', () => {
    const chicago = mapAs(ORU_LAB, 'results', { defaultTimeZone: 'America/Chicago' });
    expect(chicago.results[0]!.orders[0]!.observedAt).toEqual(new Date('2024-01-05T14:00:00Z'));
  });

  it('keeps several patients (PATIENT_RESULT groups) apart', () => {
    const text = message(
      ORU_LAB,
      seg('PID', { 1: '2', 3: 'MRN999^^^GENHOSP^MR' }),
      seg('OBR', { 1: '1', 4: '2093-3^Cholesterol^LN', 7: '20240105', 25: 'F' }),
      seg('OBX', { 1: '1', 2: 'NM', 3: '2093-3^Cholesterol^LN', 5: '180', 6: 'mg/dL', 11: 'F' }),
    );
    const results = mapAs(text, 'results').results;
    expect(results.map((r) => r.patient.identifiers[0]!.value)).toEqual(['MRN123456', 'MRN999']);
    expect(results[1]!.orders[0]!.observations[0]!.valueQuantity).toBe(180);
  });
});

describe('ORU^R01 errors', () => {
  const oru = (...obx: string[]) =>
    message(
      msh('ORU^R01'),
      PID_MIN,
      seg('OBR', { 1: '1', 4: '24323-8^CMP^LN', 7: '20240105', 25: 'F' }),
      seg('OBX', { 1: '1', 2: 'NM', 3: '2823-3^Potassium^LN', 5: '4.1', 11: 'F' }),
      ...obx,
    );

  it("an NM value 'abc' is a 102 at OBX-n-5 (n = the OBX's sequence)", () => {
    const error = catchMapping(() =>
      mapMessage(
        parse(oru(seg('OBX', { 1: '2', 2: 'NM', 3: '2951-2^Sodium^LN', 5: 'abc', 11: 'F' }))),
      ),
    );
    expect(error.hl7Code).toBe('102');
    expect(error.code).toBe('CG_ERR_HL7_DATA_TYPE');
    expect(error.location).toEqual({ segment: 'OBX', sequence: 2, field: 5 });
    expect(error.message).toBe('OBX-2-5 is not a valid number (NM)');
  });

  it('a value type outside table 0125 is a 103 at OBX-n-2', () => {
    const error = catchMapping(() =>
      mapMessage(parse(oru(seg('OBX', { 1: '2', 2: 'QQ', 3: 'X^Y^LN', 5: 'v', 11: 'F' })))),
    );
    expect(error.hl7Code).toBe('103');
    expect(error.location).toEqual({ segment: 'OBX', sequence: 2, field: 2 });
  });

  it('a value without a value type is a 101 at OBX-n-2', () => {
    const error = catchMapping(() =>
      mapMessage(parse(oru(seg('OBX', { 1: '2', 3: 'X^Y^LN', 5: 'v', 11: 'F' })))),
    );
    expect(error.hl7Code).toBe('101');
    expect(error.location).toEqual({ segment: 'OBX', sequence: 2, field: 2 });
  });

  it('an OBX without an observation identifier is a 101 at OBX-n-3', () => {
    const error = catchMapping(() =>
      mapMessage(parse(oru(seg('OBX', { 1: '2', 2: 'NM', 5: '1', 11: 'F' })))),
    );
    expect(error.location).toEqual({ segment: 'OBX', sequence: 2, field: 3 });
  });

  it('a result status outside table 0085 is a 103 at OBX-n-11', () => {
    const error = catchMapping(() =>
      mapMessage(parse(oru(seg('OBX', { 1: '2', 2: 'NM', 3: 'X^Y^LN', 5: '1', 11: 'Q' })))),
    );
    expect(error.hl7Code).toBe('103');
    expect(error.location).toEqual({ segment: 'OBX', sequence: 2, field: 11 });
  });

  it('an OBX before any OBR is a 101 at OBR', () => {
    const text = message(
      msh('ORU^R01'),
      PID_MIN,
      seg('OBX', { 1: '1', 2: 'NM', 3: 'X^Y^LN', 5: '1', 11: 'F' }),
    );
    expect(catchMapping(() => mapMessage(parse(text))).location).toEqual({ segment: 'OBR' });
  });

  it('an SN with a bad number is a 102 at its component', () => {
    const error = catchMapping(() =>
      mapMessage(parse(oru(seg('OBX', { 1: '2', 2: 'SN', 3: 'X^Y^LN', 5: '<^x', 11: 'F' })))),
    );
    expect(error.location).toEqual({ segment: 'OBX', sequence: 2, field: 5, component: 2 });
  });
});

describe('parseReferenceRange', () => {
  it.each([
    ['3.5-5.0', { low: 3.5, high: 5 }],
    [' 0.000 - 100.000', { low: 0, high: 100 }],
    ['-2 - 2', { low: -2, high: 2 }],
    ['<5', { high: 5, highExclusive: true }],
    ['<= 5', { high: 5, highExclusive: false }],
    ['>10', { low: 10, lowExclusive: true }],
    ['> 60 mL/min/1.73m2', { low: 60, lowExclusive: true }],
    ['70_105', {}],
    ['negative', {}],
  ])('%s', (text, bounds) => {
    expect(parseReferenceRange(text)).toEqual({ text: text.trim(), ...bounds });
  });
});

describe('IHE PCD-01 device results', () => {
  const record = mapAs(ORU_PCD01, 'device-results');
  const observations = record.results[0]!.orders[0]!.observations;

  it('is recognised by MSH-21 and versioned pcd-1', () => {
    expect(record.mappingVersion).toBe('pcd-1');
  });

  it('leaves out the MDS row and passes its EUI-64 down to the metrics', () => {
    expect(observations.map((o) => o.code.code)).toEqual(['150456', '147842']);
    for (const o of observations) {
      expect(o.device).toEqual({ id: '0123456789ABCDEF', system: 'urn:hl7v2:EUI-64' });
      expect(o.category).toBe(ObservationCategory.DEVICE);
    }
  });

  it('maps MDC codes and units, and marks the value outside its range', () => {
    expect(observations[0]).toMatchObject({
      code: {
        system: 'urn:iso:std:iso:11073:10101',
        code: '150456',
        display: 'MDC_PULS_OXIM_SAT_O2',
      },
      subId: '1.1.1.1',
      valueQuantity: 88,
      unit: '%',
      referenceRangeLow: 90,
      referenceRangeHigh: 100,
      outOfRange: true,
      status: ObservationStatus.PRELIMINARY,
      effectiveAt: new Date('2024-01-05T17:00:05Z'),
    });
    expect(observations[1]).toMatchObject({
      valueQuantity: 72,
      unit: '/min',
      outOfRange: false,
      interpretation: 'N',
    });
  });

  it('is also recognised by an EUI-64 in OBX-18 alone (no MSH-21, no MDC codes)', () => {
    const text = ORU_PCD01.replace(/\|IHE_PCD_001[^\r]*/, '').replace(/\^MDC\|/g, '^LN|');
    expect(text).not.toContain('^MDC|');
    const record = mapAs(text, 'device-results');
    expect(record.results[0]!.orders[0]!.observations).toHaveLength(2);
  });

  it('a lab analyser id in OBX-18 (not EUI-64) keeps a lab result', () => {
    const text = ORU_LAB.replace('|20240105081500', '|20240105081500||||ANALYZER-7^LAB');
    expect(parse(text).get('OBX-18')).toBe('ANALYZER-7');
    const record = mapAs(text, 'results');
    expect(record.results[0]!.orders[0]!.observations[0]!.device).toEqual({
      id: 'ANALYZER-7',
      system: 'urn:hl7v2:LAB',
    });
  });

  it('is also recognised by MDC codes without MSH-21', () => {
    const text = ORU_PCD01.replace(/\|IHE_PCD_001[^\r]*/, '');
    expect(parse(text).get('MSH-21')).toBeUndefined();
    expect(mapMessage(parse(text)).kind).toBe('device-results');
  });
});
