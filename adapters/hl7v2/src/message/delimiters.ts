import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import type { Delimiters } from './types.js';

/** The usual delimiters `|^~\&` (what a fallback NAK uses). */
export const DEFAULT_DELIMITERS: Readonly<Delimiters> = Object.freeze({
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
});

/** Characters that may not be delimiters: letters, digits, whitespace and control characters. */
const FORBIDDEN = /[\p{L}\p{N}\s\p{C}]/u;

/**
 * Reads the delimiters from the start of an MSH (or FHS/BHS) segment: MSH-1 (the character after
 * the segment name) and MSH-2 (the encoding characters: component, repetition, escape,
 * sub-component, and from v2.7 on the truncation character). Throws a coded {@link Hl7Error}
 * (AR) when they are missing, repeated, or letters, digits or whitespace.
 */
export function readDelimiters(headerLine: string, segment = 'MSH'): Delimiters {
  const field = headerLine[3];
  const bad = (why: string): Hl7Error =>
    new Hl7Error(Hl7ErrorCode.DELIMITERS, `${segment}-1/${segment}-2 delimiters: ${why}.`, {
      location: { segment, sequence: 1, field: 2 },
    });
  if (field === undefined || FORBIDDEN.test(field)) throw bad('no valid field separator');
  let end = headerLine.indexOf(field, 4);
  if (end < 0) end = headerLine.length;
  const encoding = headerLine.slice(4, end);
  if (encoding.length < 4 || encoding.length > 5) throw bad('expected 4 or 5 encoding characters');
  const chars = [field, ...encoding];
  if (new Set(chars).size !== chars.length) throw bad('delimiters are not distinct');
  if (chars.some((c) => FORBIDDEN.test(c))) throw bad('a delimiter is a letter, digit or space');
  const delimiters: Delimiters = {
    field,
    component: encoding[0]!,
    repetition: encoding[1]!,
    escape: encoding[2]!,
    subcomponent: encoding[3]!,
  };
  if (encoding.length === 5) delimiters.truncation = encoding[4]!;
  return delimiters;
}

/** MSH-2 as written for these delimiters (with the truncation character when there is one). */
export function encodingCharacters(d: Delimiters): string {
  return d.component + d.repetition + d.escape + d.subcomponent + (d.truncation ?? '');
}
