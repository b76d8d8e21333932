/**
 * HL7 v2 date/time values (DTM, TS.1, DT): `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`.
 * A value without an offset is read in a default IANA time zone (UTC unless configured).
 */
import { instantOfWallTime, type WallClock } from '@caregraph/schema';

/** How much of a date/time the sender gave. */
export type DateTimePrecision =
  'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction';

/** A parsed HL7 date/time. */
export interface Hl7DateTime {
  /** The instant; missing parts count from the start of the period (`200805` = 1 May 00:00). */
  date: Date;
  precision: DateTimePrecision;
  /** The offset sent in the value, in minutes east of UTC; undefined when none was sent. */
  offsetMinutes?: number;
}

const DTM =
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?)?)?([+-]\d{4})?$/;

const PRECISIONS: readonly DateTimePrecision[] = [
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'fraction',
];

/** The fields of a DTM as written (a wall-clock time, unless it carries an offset). */
interface DtmParts extends WallClock {
  millisecond: number;
  precision: DateTimePrecision;
  offsetMinutes?: number;
}

function splitDtm(text: string): DtmParts | undefined {
  const m = DTM.exec(text.trim());
  if (!m) return undefined;
  const given = m.slice(1, 8).filter((g) => g !== undefined).length;
  const n = (i: number, fallback: number) => (m[i] === undefined ? fallback : Number(m[i]));
  const parts: DtmParts = {
    year: n(1, 0),
    month: n(2, 1),
    day: n(3, 1),
    hour: n(4, 0),
    minute: n(5, 0),
    second: n(6, 0),
    millisecond: m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000),
    precision: PRECISIONS[given - 1]!,
  };
  if (m[8] !== undefined) {
    const sign = m[8].startsWith('-') ? -1 : 1;
    const hh = Number(m[8].slice(1, 3));
    const mm = Number(m[8].slice(3, 5));
    if (hh > 14 || mm > 59) return undefined;
    parts.offsetMinutes = sign * (hh * 60 + mm);
  }
  const daysInMonth = new Date(Date.UTC(parts.year, parts.month, 0)).getUTCDate();
  if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > daysInMonth) {
    return undefined;
  }
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return undefined;
  return parts;
}

/**
 * Parses an HL7 DTM/TS value. Without an offset the wall-clock time is read in `defaultTimeZone`
 * (daylight saving resolved by the zone's rules; a time skipped by a spring-forward gap moves
 * forward). Returns undefined when the text is not a valid DTM.
 */
export function parseHl7DateTime(text: string, defaultTimeZone = 'UTC'): Hl7DateTime | undefined {
  const p = splitDtm(text);
  if (!p) return undefined;
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond);
  // Date.UTC maps years 0-99 to 1900-1999: set the year explicitly.
  const wallDate = new Date(wall);
  wallDate.setUTCFullYear(p.year);
  const wallMs = wallDate.getTime();
  let utcMs: number;
  if (p.offsetMinutes !== undefined) {
    utcMs = wallMs - p.offsetMinutes * 60_000;
  } else if (defaultTimeZone === 'UTC') {
    utcMs = wallMs;
  } else {
    utcMs = instantOfWallTime(wallMs, defaultTimeZone).getTime();
  }
  const result: Hl7DateTime = { date: new Date(utcMs), precision: p.precision };
  if (p.offsetMinutes !== undefined) result.offsetMinutes = p.offsetMinutes;
  return result;
}

/** A calendar date as sent, without any time zone shift. */
export interface Hl7Date {
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the sender was. */
  value: string;
  precision: 'year' | 'month' | 'day';
}

/**
 * Reads the date part of an HL7 DT/DTM value as written (a birth date `19750501103000` is
 * `1975-05-01` whatever the time zone). Returns undefined when the text is not a valid DTM.
 */
export function parseHl7Date(text: string): Hl7Date | undefined {
  const p = splitDtm(text);
  if (!p) return undefined;
  const yyyy = String(p.year).padStart(4, '0');
  const mm = String(p.month).padStart(2, '0');
  const dd = String(p.day).padStart(2, '0');
  if (p.precision === 'year') return { value: yyyy, precision: 'year' };
  if (p.precision === 'month') return { value: `${yyyy}-${mm}`, precision: 'month' };
  return { value: `${yyyy}-${mm}-${dd}`, precision: 'day' };
}
