/** The mapping context and the typed field readers that throw {@link MappingError}s. */
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { defaultCodeSystem, defaultIdentifierSystem } from './code-systems.js';
import { comp, field, locate, rep, type Rep } from './datatypes.js';
import { parseHl7Date, parseHl7DateTime, type Hl7Date } from './datetime.js';
import type { AssigningAuthority, MappingContext, SenderHooks } from './hooks.js';
import { senderKeyOf } from '../message/header.js';
import { MappingError } from './mapping-error.js';

/** Builds the context of one message: sender key, hooks, time zone, namespace rules. */
export function createContext(
  msg: Hl7Message,
  hooks: SenderHooks,
  defaultTimeZone: string,
): MappingContext {
  const fallbackAuthority =
    msg.header.sendingFacility || msg.header.sendingApplication || 'unknown';
  const ctx: MappingContext = {
    senderKey: senderKeyOf(msg),
    hooks,
    defaultTimeZone,
    identifierSystem(authority: AssigningAuthority, typeCode: string | undefined): string {
      return (
        hooks.identifierSystem?.(authority, typeCode, ctx) ??
        defaultIdentifierSystem(authority, typeCode, fallbackAuthority)
      );
    },
    codeSystem(name: string | undefined): string {
      return (
        hooks.codeSystem?.(name, ctx) ??
        defaultCodeSystem(name, msg.header.sendingApplication ?? '')
      );
    },
  };
  return ctx;
}

/** The first segment `name`, or a 101 at that segment. */
export function requireSegment(msg: Hl7Message, name: string, what: string): Hl7Segment {
  const seg = msg.segment(name);
  if (!seg) throw MappingError.requiredFieldMissing({ segment: name }, what);
  return seg;
}

/** Field `n` (component `c`) as text, or a 101 at it. */
export function requireField(
  msg: Hl7Message,
  seg: Hl7Segment,
  n: number,
  what: string,
  c = 1,
): string {
  const value = field(seg, n, c);
  if (value === undefined) {
    throw MappingError.requiredFieldMissing(locate(msg, seg, n, c === 1 ? undefined : c), what);
  }
  return value;
}

/** A DTM/TS value in component `c` of a repetition, as an instant; 102 when it is not a DTM. */
export function dateTimeOf(
  msg: Hl7Message,
  seg: Hl7Segment,
  n: number,
  r: Rep | undefined,
  ctx: MappingContext,
  c = 1,
): Date | undefined {
  const value = comp(r, c);
  if (value === undefined) return undefined;
  const parsed = parseHl7DateTime(value, ctx.defaultTimeZone);
  if (!parsed) {
    throw MappingError.dataTypeError(
      locate(msg, seg, n, c === 1 ? undefined : c),
      'date/time (DTM)',
    );
  }
  return parsed.date;
}

/** Field `n` (TS/DTM, first component) as an instant; 102 when it is not a DTM. */
export function dateTimeField(
  msg: Hl7Message,
  seg: Hl7Segment | undefined,
  n: number,
  ctx: MappingContext,
): Date | undefined {
  return seg ? dateTimeOf(msg, seg, n, rep(seg, n), ctx) : undefined;
}

/** Field `n` (DT/DTM) as a calendar date as sent; 102 when it is not a date. */
export function dateField(msg: Hl7Message, seg: Hl7Segment, n: number): Hl7Date | undefined {
  const value = field(seg, n);
  if (value === undefined) return undefined;
  const parsed = parseHl7Date(value);
  if (!parsed) throw MappingError.dataTypeError(locate(msg, seg, n), 'date (DT)');
  return parsed;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses an HL7 NM value (`12`, `-0.5`, `+3.`), or undefined when it is not one. */
export function parseNumber(value: string): number | undefined {
  const trimmed = value.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/** Field `n` (NM) as a number; 102 when it is not a number. */
export function numberField(
  msg: Hl7Message,
  seg: Hl7Segment | undefined,
  n: number,
  c = 1,
): number | undefined {
  const value = field(seg, n, c);
  if (value === undefined || !seg) return undefined;
  const number = parseNumber(value);
  if (number === undefined) {
    throw MappingError.dataTypeError(locate(msg, seg, n, c === 1 ? undefined : c), 'number (NM)');
  }
  return number;
}

/** The event time: EVN-6 (occurred), else EVN-2 (recorded), else MSH-7. */
export function eventTime(msg: Hl7Message, ctx: MappingContext): Date | undefined {
  const evn = msg.segment('EVN');
  return (
    dateTimeField(msg, evn, 6, ctx) ??
    dateTimeField(msg, evn, 2, ctx) ??
    dateTimeField(msg, msg.segment('MSH'), 7, ctx)
  );
}
