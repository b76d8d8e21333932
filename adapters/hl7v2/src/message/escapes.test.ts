import { describe, expect, it } from '@jest/globals';

import { DEFAULT_DELIMITERS } from './delimiters.js';
import { decodeEscapes, encodeEscapes } from './escapes.js';
import type { Delimiters } from './types.js';

const D = DEFAULT_DELIMITERS;

describe('decodeEscapes', () => {
  it.each([
    ['a\\F\\b', 'a|b'],
    ['a\\S\\b', 'a^b'],
    ['a\\T\\b', 'a&b'],
    ['a\\R\\b', 'a~b'],
    ['C:\\E\\temp', 'C:\\temp'],
    ['line1\\.br\\line2', 'line1\nline2'],
    ['a\\.sp\\b', 'a\nb'],
    ['a\\.sp2\\b', 'a\n\nb'],
    ['\\H\\bold\\N\\ text', 'bold text'],
    ['\\.ce\\centered\\.fi\\', 'centered'],
    ['\\X41\\\\X4243\\', 'ABC'],
    ['caf\\XC3A9\\', 'café'],
    ['\\F\\\\S\\\\T\\\\R\\\\E\\', '|^&~\\'],
  ])('decodes %j', (raw, decoded) => {
    expect(decodeEscapes(raw, D)).toBe(decoded);
  });

  it('decodes \\Xhh\\ bytes with the message character set', () => {
    expect(decodeEscapes('caf\\XE9\\', D, 'iso-8859-1')).toBe('café');
    expect(decodeEscapes('caf\\XC3A9\\', D, 'utf-8')).toBe('café');
  });

  it('keeps unknown, malformed and unclosed sequences as sent', () => {
    expect(decodeEscapes('a\\Zcustom\\b', D)).toBe('a\\Zcustom\\b');
    expect(decodeEscapes('a\\X4\\b', D)).toBe('a\\X4\\b');
    expect(decodeEscapes('a\\XZZ\\b', D)).toBe('a\\XZZ\\b');
    expect(decodeEscapes('C:\\path', D)).toBe('C:\\path');
    expect(decodeEscapes('a\\\\b', D)).toBe('a\\\\b');
    expect(decodeEscapes('\\C2842\\x', D)).toBe('\\C2842\\x');
  });

  it('leaves values without the escape character untouched', () => {
    const value = 'plain value';
    expect(decodeEscapes(value, D)).toBe(value);
  });

  it('uses the message delimiters, and \\P\\ for the v2.7 truncation character', () => {
    const custom: Delimiters = {
      field: '#',
      component: '$',
      repetition: '*',
      escape: '!',
      subcomponent: '@',
      truncation: '%',
    };
    expect(decodeEscapes('a!F!b!S!c!E!d!P!', custom)).toBe('a#b$c!d%');
    expect(decodeEscapes('a\\F\\b', custom)).toBe('a\\F\\b');
  });
});

describe('encodeEscapes', () => {
  it('escapes delimiters, the escape character, newlines and control characters', () => {
    expect(encodeEscapes('a|b^c&d~e\\f', D)).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f');
    expect(encodeEscapes('l1\nl2', D)).toBe('l1\\.br\\l2');
    expect(encodeEscapes('a\rb', D)).toBe('a\\X0D\\b');
    expect(encodeEscapes('tab\tkept', D)).toBe('tab\tkept');
    expect(encodeEscapes('a#b', { ...D, truncation: '#' })).toBe('a\\P\\b');
    expect(encodeEscapes('a#b', D)).toBe('a#b');
  });

  it('is the inverse of decodeEscapes', () => {
    const samples = [
      '|^~\\&',
      'x\r\ny',
      'multi\nline\ntext',
      'ünïcødé ✓',
      '\\Zkeep\\',
      'a#b',
      '\u0001\u001f',
    ];
    const delimiters: Delimiters[] = [
      D,
      { ...D, truncation: '#' },
      { field: '|', component: '$', repetition: '~', escape: '\\', subcomponent: '&' },
    ];
    for (const d of delimiters) {
      for (const s of samples) expect(decodeEscapes(encodeEscapes(s, d), d)).toBe(s);
    }
  });
});
