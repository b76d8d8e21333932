import { describe, expect, it } from '@jest/globals';

import { readDelimiters } from './delimiters.js';
import { parseMessage } from './parse-message.js';
import { writeMessage } from './write-message.js';

describe('delimiters from MSH-1/MSH-2', () => {
  it('reads the v2.7 truncation character', () => {
    expect(readDelimiters('MSH|^~\\&#|A')).toEqual({
      field: '|',
      component: '^',
      repetition: '~',
      escape: '\\',
      subcomponent: '&',
      truncation: '#',
    });
    const m = parseMessage(
      'MSH|^~\\&#|A|B|C|D|20240101||ADT^A01^ADT_A01|1|P|2.7\rPID|1||12#^^^X||Name\\P\\',
    );
    expect(m.get('MSH-2')).toBe('^~\\&#');
    expect(m.get('PID-3')).toBe('12#');
    expect(m.get('PID-5')).toBe('Name#');
  });

  it('parses a message with $ as component separator', () => {
    const m = parseMessage(
      'MSH|$~\\&|APP|FAC|||20240101||ADT$A01|7|P|2.5\rPID|1||123$$$MRN~456$$$SSN||DOE$JOHN^X\\S\\',
    );
    expect(m.delimiters.component).toBe('$');
    expect(m.header).toMatchObject({ messageCode: 'ADT', triggerEvent: 'A01' });
    expect(m.get('PID-3[2].4')).toBe('SSN');
    expect(m.get('PID-5.2')).toBe('JOHN^X$');
  });

  it('parses entirely custom delimiters', () => {
    const m = parseMessage(
      'MSH#@*!%#APP#FAC###20240101##ORU@R01#9#P#2.4\rOBX#1#ST#CODE@Name#1#a!F!b@c%d',
    );
    expect(m.delimiters).toEqual({
      field: '#',
      component: '@',
      repetition: '*',
      escape: '!',
      subcomponent: '%',
    });
    expect(m.get('MSH-9.2')).toBe('R01');
    expect(m.get('OBX-5')).toBe('a#b');
    expect(m.get('OBX-5.2.2')).toBe('d');
  });

  it('writes with the sender delimiters', () => {
    const d = { field: '|', component: '$', repetition: '~', escape: '\\', subcomponent: '&' };
    const text = writeMessage(
      [['MSH', '', '', 'A', 'B', '', '', '', '', [['ADT', 'A01']], '1', 'P', '2.5']],
      d,
    );
    expect(text).toBe('MSH|$~\\&|A|B|||||ADT$A01|1|P|2.5');
  });
});
