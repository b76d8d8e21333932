import { DEFAULT_DELIMITERS, encodingCharacters } from './delimiters.js';
import { encodeEscapes } from './escapes.js';
import type { Delimiters } from './types.js';

/** A leaf value: a string (escaped when written), `null` (written `""`), `undefined`/`''` (empty). */
export type WriterValue = string | null | undefined;
/** A component: one value, or its sub-components. */
export type WriterComponent = WriterValue | readonly WriterValue[];
/** A repetition: one value, or its components. */
export type WriterRepetition = WriterValue | readonly WriterComponent[];
/** A field: one value, or its repetitions (the shape `Hl7Segment.repetitions(n)` returns). */
export type WriterField = WriterValue | readonly WriterRepetition[];
/**
 * A segment: its name, then its fields numbered as in the standard (`seg[3]` is field 3). For
 * MSH, `seg[1]` and `seg[2]` (MSH-1, MSH-2) are ignored: the writer's delimiters are written.
 */
export type WriterSegment = readonly [name: string, ...fields: WriterField[]];

/** Options of {@link writeMessage}. */
export interface WriteMessageOptions {
  /** iconv-lite encoding of the `\Xhh\` escapes of control characters. Default UTF-8. */
  encoding?: string;
}

const HL7_NULL = '""';

/**
 * Writes segments as HL7 text: segments joined by `\r` (no trailing `\r`), values escaped for
 * `delimiters`, trailing empty fields, repetitions, components and sub-components left out.
 * A string value that is literally `""` is escaped (`\X2222\`) so that it does not read back
 * as the HL7 null.
 */
export function writeMessage(
  segments: readonly WriterSegment[],
  delimiters: Delimiters = DEFAULT_DELIMITERS,
  options: WriteMessageOptions = {},
): string {
  return segments.map((s) => writeSegment(s, delimiters, options.encoding)).join('\r');
}

/** Writes one segment (see {@link writeMessage}). */
export function writeSegment(
  segment: WriterSegment,
  delimiters: Delimiters = DEFAULT_DELIMITERS,
  encoding = 'utf-8',
): string {
  const [name, ...fields] = segment;
  const header = name === 'MSH' || name === 'FHS' || name === 'BHS';
  const written = fields.map((f) => writeField(f, delimiters, encoding));
  if (header) {
    written[0] = delimiters.field;
    written[1] = encodingCharacters(delimiters);
  }
  trimEmpty(written);
  if (header) return name + delimiters.field + written.slice(1).join(delimiters.field);
  return written.length === 0 ? name : name + delimiters.field + written.join(delimiters.field);
}

function writeField(field: WriterField, d: Delimiters, encoding: string): string {
  if (isValue(field)) return leaf(field, d, encoding);
  return join(
    field.map((rep) => writeRepetition(rep, d, encoding)),
    d.repetition,
  );
}

function writeRepetition(rep: WriterRepetition, d: Delimiters, encoding: string): string {
  if (isValue(rep)) return leaf(rep, d, encoding);
  return join(
    rep.map((comp) =>
      isValue(comp)
        ? leaf(comp, d, encoding)
        : join(
            comp.map((sub) => leaf(sub, d, encoding)),
            d.subcomponent,
          ),
    ),
    d.component,
  );
}

function isValue(value: unknown): value is WriterValue {
  return value === null || value === undefined || typeof value === 'string';
}

function leaf(value: WriterValue, d: Delimiters, encoding: string): string {
  if (value === null) return HL7_NULL;
  if (value === undefined || value === '') return '';
  if (value === HL7_NULL) return `${d.escape}X2222${d.escape}`;
  return encodeEscapes(value, d, encoding);
}

function join(parts: string[], sep: string): string {
  trimEmpty(parts);
  return parts.join(sep);
}

function trimEmpty(parts: string[]): void {
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
}
