import { describe, expect, it } from '@jest/globals';

import { Hl7Error } from './hl7-error.js';
import { parseMessage } from './parse-message.js';

const ADT = [
  'MSH|^~\\&|EPIC|EPICADT|SMS|SMSADT|199912271408|CHARRIS|ADT^A04^ADT_A01|1817457|D|2.5',
  'PID||0493575^^^2^ID 1|454721~999^^^X^MR&sub1&sub2||DOE^JOHN^^^^|""|19480203|M||B|254 MYSTREET AVE^^MYTOWN^OH^44123^USA',
  'ZPI|1|custom \\F\\ value',
  'PV1||O',
].join('\r');

function error(run: () => unknown): Hl7Error {
  try {
    run();
  } catch (e) {
    if (e instanceof Hl7Error) return e;
    throw e;
  }
  throw new Error('expected an Hl7Error');
}

describe('parseMessage', () => {
  it('reads the header', () => {
    const m = parseMessage(ADT);
    expect(m.header).toEqual({
      sendingApplication: 'EPIC',
      sendingFacility: 'EPICADT',
      receivingApplication: 'SMS',
      receivingFacility: 'SMSADT',
      dateTime: '199912271408',
      messageCode: 'ADT',
      triggerEvent: 'A04',
      messageStructure: 'ADT_A01',
      controlId: '1817457',
      processingId: 'D',
      version: '2.5',
    });
    expect(m.delimiters).toEqual({
      field: '|',
      component: '^',
      repetition: '~',
      escape: '\\',
      subcomponent: '&',
    });
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'PID', 'ZPI', 'PV1']);
    expect(m.text).toBe(ADT);
  });

  it('numbers MSH fields as the standard does', () => {
    const m = parseMessage(ADT);
    expect(m.get('MSH-1')).toBe('|');
    expect(m.get('MSH-2')).toBe('^~\\&');
    expect(m.get('MSH-3')).toBe('EPIC');
    expect(m.get('MSH-9.2')).toBe('A04');
    expect(m.segment('MSH')?.fieldCount).toBe(12);
  });

  it('reads repetitions, components and sub-components by path', () => {
    const m = parseMessage(ADT);
    expect(m.get('PID-3')).toBe('454721');
    expect(m.get('PID-3[2]')).toBe('999');
    expect(m.get('PID-3[2].4')).toBe('X');
    expect(m.get('PID-3[2].5.2')).toBe('sub1');
    expect(m.get('PID-3[3]')).toBeUndefined();
    expect(m.get('PID-5.2')).toBe('JOHN');
    expect(m.get('PID-5.3')).toBeUndefined();
    const pid = m.segment('PID')!;
    expect(pid.get('3[2].5.3')).toBe('sub2');
    expect(pid.repetitions(3)).toEqual([
      [['454721']],
      [['999'], [undefined], [undefined], ['X'], ['MR', 'sub1', 'sub2']],
    ]);
    expect(pid.repetitions(4)).toEqual([]);
    expect(pid.index).toBe(1);
  });

  it('keeps "" (clear) distinct from empty (leave as is)', () => {
    const m = parseMessage(ADT);
    expect(m.get('PID-6')).toBeNull();
    expect(m.get('PID-6.2')).toBeNull();
    expect(m.get('PID-4')).toBeUndefined();
    expect(m.get('PID-99')).toBeUndefined();
    expect(m.segment('PID')!.repetitions(6)).toEqual([[[null]]]);
  });

  it('keeps Z-segments and decodes their escapes', () => {
    const m = parseMessage(ADT);
    expect(m.get('ZPI-2')).toBe('custom | value');
    expect(m.all('ZPI')).toHaveLength(1);
  });

  it('addresses later segments of the same name', () => {
    const m = parseMessage(`${ADT}\rOBX|1|ST|A\rOBX|2|ST|B`);
    expect(m.get('OBX-3')).toBe('A');
    expect(m.get('OBX[2]-3')).toBe('B');
    expect(m.all('OBX').map((s) => s.get('1'))).toEqual(['1', '2']);
  });

  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('accepts %s segment endings and blank lines', (_name, eol) => {
    const text = ADT.split('\r').join(eol) + eol + eol;
    const m = parseMessage(`${eol}${text}`);
    expect(m.segments).toHaveLength(4);
    expect(m.get('PV1-2')).toBe('O');
    expect(m.text).toBe(ADT);
  });

  it('strips MLLP framing and a BOM', () => {
    const framed = Buffer.concat([
      Buffer.from([0x0b, 0xef, 0xbb, 0xbf]),
      Buffer.from(ADT),
      Buffer.from([0x1c, 0x0d]),
    ]);
    expect(parseMessage(framed).header.controlId).toBe('1817457');
    expect(parseMessage(`\u000b\ufeff${ADT}\u001c\r`).get('PV1-2')).toBe('O');
  });

  it('rejects input without MSH with a coded error', () => {
    const e = error(() => parseMessage('PID|1||123'));
    expect(e).toMatchObject({ code: 'HL7_ERR_MISSING_MSH', hl7Code: '100', ackCode: 'AR' });
    expect(error(() => parseMessage(''))).toMatchObject({ code: 'HL7_ERR_MISSING_MSH' });
  });

  it('rejects a missing MSH-9, MSH-10 or MSH-12 with its location', () => {
    const e9 = error(() => parseMessage('MSH|^~\\&|A|B|C|D|2024||'));
    expect(e9).toMatchObject({
      code: 'HL7_ERR_REQUIRED_FIELD_MISSING',
      hl7Code: '101',
      ackCode: 'AR',
      location: { segment: 'MSH', sequence: 1, field: 9 },
    });
    const e10 = error(() => parseMessage('MSH|^~\\&|A|B|C|D|2024||ADT^A01||P|2.5'));
    expect(e10.location).toEqual({ segment: 'MSH', sequence: 1, field: 10 });
    const e12 = error(() => parseMessage('MSH|^~\\&|A|B|C|D|2024||ADT^A01|1|P|'));
    expect(e12.location).toEqual({ segment: 'MSH', sequence: 1, field: 12 });
  });

  it('accepts versions 2.1 to 2.8.x and rejects others (203)', () => {
    for (const v of [
      '2.1',
      '2.2',
      '2.3',
      '2.3.1',
      '2.4',
      '2.5',
      '2.5.1',
      '2.6',
      '2.7',
      '2.7.1',
      '2.8',
      '2.8.2',
    ]) {
      expect(parseMessage(`MSH|^~\\&|A|B|C|D|2024||ADT^A01|1|P|${v}`).header.version).toBe(v);
    }
    for (const v of ['3.0', '2.9', '1.0', '2.x', '25']) {
      const e = error(() => parseMessage(`MSH|^~\\&|A|B|C|D|2024||ADT^A01|1|P|${v}`));
      expect(e).toMatchObject({
        code: 'HL7_ERR_UNSUPPORTED_VERSION',
        hl7Code: '203',
        ackCode: 'AR',
      });
      expect(e.message).not.toContain(v);
    }
  });

  it('rejects unreadable delimiters', () => {
    for (const msh of ['MSH', 'MSH|^~', 'MSH|^^\\&|', 'MSH|^~ &|', 'MSHA^~\\&A']) {
      expect(error(() => parseMessage(`${msh}|A|B|C|D|2024||ADT^A01|1|P|2.5`))).toMatchObject({
        code: 'HL7_ERR_DELIMITERS',
        ackCode: 'AR',
      });
    }
  });

  it('rejects lines that are not segments, batches and several messages', () => {
    expect(error(() => parseMessage(`${ADT}\rwrapped text|more`))).toMatchObject({
      code: 'HL7_ERR_SEGMENT_SEQUENCE',
      hl7Code: '100',
      ackCode: 'AE',
    });
    expect(error(() => parseMessage(`${ADT}\r${ADT}`))).toMatchObject({
      code: 'HL7_ERR_SEGMENT_SEQUENCE',
      location: { segment: 'MSH', sequence: 2 },
    });
    expect(error(() => parseMessage(`FHS|^~\\&\r${ADT}`))).toMatchObject({
      code: 'HL7_ERR_SEGMENT_SEQUENCE',
      ackCode: 'AR',
    });
  });
});

describe('segment locations', () => {
  it('numbers segments of the same name for ERR-2', () => {
    const m = parseMessage(`${ADT}\rOBX|1\rNTE|1\rOBX|2`);
    const second = m.all('OBX')[1]!;
    expect(second.occurrence).toBe(2);
    expect(second.location(5, 1)).toEqual({ segment: 'OBX', sequence: 2, field: 5, component: 1 });
    expect(m.segment('MSH')!.location()).toEqual({ segment: 'MSH', sequence: 1 });
  });
});
