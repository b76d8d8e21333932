import { describe, expect, it } from '@jest/globals';

import { splitBatch } from './batch.js';
import { parseMessage } from './parse-message.js';
import { catchHl7, fixture, fixtureNames } from './test-support.js';

/** type^trigger, control id, version, segment counts by name. */
type Expected = [string, string, string, Record<string, number>];

const PARSED: Record<string, Expected> = {
  'hl7-isabella_jones_lipid_panel.hl7': [
    'ORU^R01',
    'Q335939501T337311002',
    '2.3',
    { MSH: 1, PID: 1, PD1: 1, OBR: 1, OBX: 5 },
  ],
  'hl7-isabella_jones_multiple_tests.hl7': [
    'ORU^R01',
    'Q335939501T337311002',
    '2.3',
    { MSH: 1, PID: 1, OBR: 2, OBX: 25 },
  ],
  'hl7-sample.hl7': ['ORU^R01', 'CNTRL-3456', '2.4', { MSH: 1, PID: 1, OBR: 1, OBX: 1 }],
  'hl7-sample2.hl7': ['ADT^A04', '1817457', '2.5', { MSH: 1, PID: 1, NK1: 1, PV1: 1 }],
  'hl7-sample3.hl7': [
    'ORU^R01',
    'Q335939501T337311002',
    '2.3',
    { MSH: 1, PID: 1, PD1: 1, OBR: 1, OBX: 5 },
  ],
  'hl7-sample4.hl7': ['ADT^A04', '1817457', '2.5', { MSH: 1, PID: 1, NK1: 3, PV1: 1 }],
  'hl7-standard-message.hl7': [
    'ADT^A01',
    '24553',
    '2.4',
    {
      MSH: 1,
      EVN: 1,
      PID: 1,
      PD1: 1,
      ROL: 3,
      CON: 5,
      NK1: 2,
      PV1: 1,
      PV2: 1,
      AL1: 1,
      DG1: 1,
      GT1: 1,
      IN1: 1,
      IN2: 1,
      ZNM: 1,
    },
  ],
  'hl7-standard-message2.hl7': [
    'ACK^V01',
    '5465156441.100178620',
    '2.3.1',
    { MSH: 1, MSA: 1, ERR: 1 },
  ],
  'hl7-standard-message3.hl7': [
    'RSP^K11',
    '20171023134421',
    '2.5.1',
    { MSH: 1, MSA: 1, QAK: 1, QPD: 1, PID: 1, ORC: 1, RXA: 1, OBX: 26 },
  ],
  'nodehl7-ADTA01.hl7': [
    'ADT^A01',
    'HL7MSG00001',
    '2.3.1',
    { MSH: 1, EVN: 1, PID: 1, NK1: 1, PV1: 1 },
  ],
  'nodehl7-bicp_ORUR01.hl7': [
    'ORU^R01',
    'Q479004375T431430612',
    '2.3.1',
    { MSH: 1, PID: 1, PD1: 1, OBR: 1, OBX: 1 },
  ],
  'nodehl7-birp_ORUR01.hl7': [
    'ORU^R01',
    '3629',
    '2.2',
    { MSH: 1, PID: 1, ORC: 2, OBR: 2, OBX: 3, NTE: 4 },
  ],
  'simple-hl7-adt-hl7.hl7': ['ADT^A04', '1817457', '2.5', { MSH: 1, PID: 1, NK1: 1, PV1: 1 }],
  'simple-hl7-orm-hl7.hl7': [
    'ORM^O01',
    'MSGID20060307110114',
    '2.3',
    { MSH: 1, PID: 1, PV1: 1, ORC: 1, OBR: 1 },
  ],
  'simple-hl7-oru-imm-hl7.hl7': [
    'ORU^R01',
    '20010422GA03',
    '2.3.1',
    { MSH: 1, PID: 1, NK1: 2, ORC: 1, OBR: 8, OBX: 47 },
  ],
};

/** Files that are not one readable message: the error each must give. */
const REJECTED: Record<string, { code: string; hl7Code: string; ackCode: string }> = {
  'hl7-sample5.hl7': { code: 'HL7_ERR_SEGMENT_SEQUENCE', hl7Code: '100', ackCode: 'AE' },
  'hl7-sample6.hl7': { code: 'HL7_ERR_REQUIRED_FIELD_MISSING', hl7Code: '101', ackCode: 'AR' },
  'hl7-standard-input.hl7': { code: 'HL7_ERR_DELIMITERS', hl7Code: '102', ackCode: 'AR' },
  'hl7-samples.hl7': { code: 'HL7_ERR_MISSING_MSH', hl7Code: '100', ackCode: 'AR' },
  'hl7-standard-batch.hl7': { code: 'HL7_ERR_SEGMENT_SEQUENCE', hl7Code: '100', ackCode: 'AR' },
};

function counts(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

describe('the corpus', () => {
  it('has an expectation for every fixture', () => {
    expect(fixtureNames().sort()).toEqual(
      [...Object.keys(PARSED), ...Object.keys(REJECTED)].sort(),
    );
  });

  it.each(Object.entries(PARSED))(
    '%s parses',
    (name, [type, controlId, version, segmentCounts]) => {
      const m = parseMessage(fixture(name));
      expect(`${m.header.messageCode}^${m.header.triggerEvent}`).toBe(type);
      expect(m.header.controlId).toBe(controlId);
      expect(m.header.version).toBe(version);
      expect(counts(m.segments.map((s) => s.name))).toEqual(segmentCounts);
      // The stored text re-parses to the same message.
      const again = parseMessage(m.text);
      expect(again.segments.map((s) => s.raw)).toEqual(m.segments.map((s) => s.raw));
    },
  );

  it.each(Object.entries(REJECTED))('%s is rejected with a coded error', (name, expected) => {
    expect(catchHl7(() => parseMessage(fixture(name)))).toMatchObject(expected);
  });

  it('reads values of real messages', () => {
    const adt = parseMessage(fixture('hl7-standard-message.hl7'));
    expect(adt.get('PID-5.1')).toBe('MotherToBe');
    expect(adt.get('PID-3.5')).toBe('EPI');
    expect(adt.get('ROL-4.6')).toBeUndefined();
    expect(adt.get('ROL-4.7.2')).toBe('one');
    expect(adt.get('ROL[2]-3')).toBe('PCC');
    expect(adt.segment('ZNM')?.name).toBe('ZNM');
    const lipid = parseMessage(fixture('hl7-isabella_jones_lipid_panel.hl7'));
    expect(lipid.get('OBX-8')).toBeNull();
    expect(lipid.get('OBX-17.4')).toBeNull();
    expect(lipid.get('OBX-9')).toBeUndefined();
    expect(lipid.get('OBR-3[2].2')).toBe('ACC_NUM');
    const rsp = parseMessage(fixture('hl7-standard-message3.hl7'));
    expect(rsp.header).toMatchObject({
      acceptAckType: 'NE',
      applicationAckType: 'NE',
      messageStructure: 'RSP_K11',
    });
    expect(rsp.get('MSH-21.1')).toBe('Z42');
    const imm = parseMessage(fixture('simple-hl7-oru-imm-hl7.hl7'));
    expect(imm.header.acceptAckType).toBe('AL');
    expect(imm.header.applicationAckType).toBeUndefined();
  });

  it('the same message with wrapped lines (sample5) and unwrapped (birp) differ only by that', () => {
    const e = catchHl7(() => parseMessage(fixture('hl7-sample5.hl7')));
    expect(e.message).toContain('Segment 5');
    expect(parseMessage(fixture('nodehl7-birp_ORUR01.hl7')).get('OBR-4.2')).toBe(
      'UPPER RESPIRATORY CULTURE',
    );
  });

  it('splits the multi-message files', () => {
    const samples = splitBatch(fixture('hl7-samples.hl7'));
    expect(samples.messages.map((m) => parseMessage(m).header.controlId)).toEqual([
      'Q479004375T431430612',
      '0129938170710091448',
      'Q335939501T337311002',
      '1817457',
    ]);
    expect(samples.problems.length).toBeGreaterThan(0);
    expect(samples.problems.every((p) => p.code === 'STRAY_TEXT')).toBe(true);
    const batch = splitBatch(fixture('hl7-standard-batch.hl7'));
    expect(batch.problems).toEqual([]);
    expect(batch.header).toEqual({ segment: 'FHS', sendingApplication: '1231' });
    expect(batch.messages.map((m) => parseMessage(m).header.controlId)).toEqual([
      '24553',
      '20171023134421',
    ]);
    expect(parseMessage(batch.messages[1]!).all('OBX')).toHaveLength(3);
  });
});
