import { ADT_A01, ORM_O01, PID_MIN, message, msh, seg } from './fixtures/messages.js';
import { catchMapping, mapAs, parse } from './fixtures/test-support.js';
import { MAPPED_MESSAGE_TYPES, mapMessage, messageTypeOf } from './map-message.js';

describe('mapMessage registry', () => {
  it('takes the trigger from EVN-1 when MSH-9.2 is empty (v2.2 and before)', () => {
    const text = ADT_A01.replace('ADT^A01^ADT_A01', 'ADT');
    expect(messageTypeOf(parse(text))).toEqual({ code: 'ADT', trigger: 'A01' });
    expect(mapAs(text, 'adt').event).toBe('A01');
  });

  it('reads code, trigger and structure from MSH-9', () => {
    expect(messageTypeOf(parse(ADT_A01))).toEqual({
      code: 'ADT',
      trigger: 'A01',
      structure: 'ADT_A01',
    });
  });

  it.each([
    'ORM^O01',
    'OML^O21',
    'DFT^P03',
    'BAR^P01',
    'QRY^A19',
    'ACK^A01',
    'RSP^K22',
    'ORU^R30',
    'MDM^T04',
  ])('%s is stored, not mapped', (type) => {
    const record = mapMessage(parse(message(msh(type), PID_MIN)));
    expect(record).toEqual({
      kind: 'not-mapped',
      messageType: type,
      reason: `${type} has no mapping: stored, not applied`,
    });
  });

  it('an ORM^O01 with orders is still not mapped', () => {
    expect(mapMessage(parse(ORM_O01)).kind).toBe('not-mapped');
  });

  it('lists every mapped type with its version', () => {
    expect(Object.keys(MAPPED_MESSAGE_TYPES)).toHaveLength(28);
    expect(MAPPED_MESSAGE_TYPES['ADT^A40']).toBe('adt-1');
    expect(MAPPED_MESSAGE_TYPES['SIU^S26']).toBe('siu-1');
  });

  it('an unknown default time zone is a 207 before any mapping', () => {
    const error = catchMapping(() =>
      mapMessage(parse(ADT_A01), { defaultTimeZone: 'Mars/Olympus' }),
    );
    expect(error.hl7Code).toBe('207');
    expect(error.code).toBe('CG_ERR_HL7_MAPPING_INTERNAL');
  });

  it('a Z-segment never disturbs a mapping', () => {
    const text = message(ADT_A01, seg('ZNM', { 3: '(763)257-8511' }));
    expect(mapAs(text, 'adt').patient.identifiers).toHaveLength(3);
  });
});
