import { describe, expect, it } from '@jest/globals';

import { DEFAULT_DELIMITERS } from './delimiters.js';
import { parseMessage } from './parse-message.js';
import { fixture } from './test-support.js';
import type { Delimiters, Hl7Message } from './types.js';
import { writeMessage, type WriterSegment } from './write-message.js';

/** Every segment as [name, ...fields as repetitions()], the writer's input shape. */
function toSegments(m: Hl7Message): WriterSegment[] {
  return m.segments.map((s) => {
    const fields = [];
    for (let n = 1; n <= s.fieldCount; n++) fields.push(s.repetitions(n));
    return [s.name, ...fields];
  });
}

function sameValues(a: Hl7Message, b: Hl7Message): void {
  expect(b.segments.map((s) => s.name)).toEqual(a.segments.map((s) => s.name));
  a.segments.forEach((s, i) => {
    const other = b.segments[i]!;
    expect(other.fieldCount).toBe(s.fieldCount);
    for (let n = 3; n <= s.fieldCount; n++) expect(other.repetitions(n)).toEqual(s.repetitions(n));
  });
}

describe('writeMessage', () => {
  it('writes segments joined by CR without trailing empties', () => {
    const text = writeMessage([
      [
        'MSH',
        '|',
        '^~\\&',
        'APP',
        'FAC',
        undefined,
        undefined,
        '20240101',
        undefined,
        [['ADT', 'A01']],
        '1',
        'P',
        '2.5',
        '',
        '',
      ],
      [
        'PID',
        '1',
        undefined,
        [['123', undefined, undefined, 'MRN', ''], ['456']],
        undefined,
        [['DOE', 'JOHN', '', '']],
        null,
        '',
        undefined,
      ],
      ['ZZZ'],
    ]);
    expect(text).toBe(
      'MSH|^~\\&|APP|FAC|||20240101||ADT^A01|1|P|2.5\rPID|1||123^^^MRN~456||DOE^JOHN|""\rZZZ',
    );
  });

  it('escapes values and sub-components', () => {
    const text = writeMessage([
      ['NTE', '1', undefined, 'a|b^c~d&e\\f\nline2'],
      ['OBX', [[['x', 'y&z'], 'w']]],
    ]);
    expect(text).toBe('NTE|1||a\\F\\b\\S\\c\\R\\d\\T\\e\\E\\f\\.br\\line2\rOBX|x&y\\T\\z^w');
    const m = parseMessage(`MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\r${text}`);
    expect(m.get('NTE-3')).toBe('a|b^c~d&e\\f\nline2');
    expect(m.get('OBX-1.1.2')).toBe('y&z');
  });

  it('keeps a literal "" apart from the HL7 null', () => {
    const text = writeMessage([
      ['MSH', '', '', 'A', '', '', '', '', '', 'ADT', '1', 'P', '2.5'],
      ['PID', '""', null],
    ]);
    const m = parseMessage(text);
    expect(m.get('PID-1')).toBe('""');
    expect(m.get('PID-2')).toBeNull();
  });

  it.each([
    'hl7-standard-message.hl7',
    'hl7-isabella_jones_lipid_panel.hl7',
    'simple-hl7-oru-imm-hl7.hl7',
    'hl7-standard-message3.hl7',
  ])('round-trips %s: parse(write(x)) reads as x', (name) => {
    const m = parseMessage(fixture(name));
    const again = parseMessage(writeMessage(toSegments(m), m.delimiters));
    sameValues(m, again);
  });

  it('round-trips escapes with other delimiters', () => {
    const d: Delimiters = {
      field: '|',
      component: '$',
      repetition: '~',
      escape: '\\',
      subcomponent: '&',
      truncation: '#',
    };
    const source = `MSH|$~\\&#|A|B|||1||ORU$R01|9|P|2.7\rOBX|1|TX|c$d||\\F\\\\S\\ and \\.br\\ and \\P\\ and \\E\\~two$x&y||""`;
    const m = parseMessage(source);
    expect(m.get('OBX-5')).toBe('|$ and \n and # and \\');
    const again = parseMessage(writeMessage(toSegments(m), d));
    sameValues(m, again);
    expect(again.get('OBX-5')).toBe('|$ and \n and # and \\');
    expect(again.get('OBX-7')).toBeNull();
    const written = parseMessage(writeMessage(toSegments(m), DEFAULT_DELIMITERS));
    sameValues(m, written);
  });
});
