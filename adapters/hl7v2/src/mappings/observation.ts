/** OBX → {@link ObservationRecord}: code, typed value, units, range, flags, status, time, notes. */
import { ObservationStatus, type ObservationCategory } from '@caregraph/schema';
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { LOINC_SYSTEM } from './code-systems.js';
import { dateTimeField, parseNumber } from './context.js';
import {
  authorityOf,
  comp,
  field,
  locate,
  notesAfter,
  readCoded,
  rep,
  reps,
  type Rep,
} from './datatypes.js';
import { parseHl7Date, parseHl7DateTime } from './datetime.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import type { DeviceRef, ObservationRecord } from './records.js';

/** OBX-11 / OBR-25 result status (tables 0085 and 0123) → observation status. */
const RESULT_STATUS: Readonly<Record<string, ObservationStatus>> = {
  C: ObservationStatus.CORRECTED,
  A: ObservationStatus.AMENDED,
  D: ObservationStatus.ENTERED_IN_ERROR,
  W: ObservationStatus.ENTERED_IN_ERROR,
  F: ObservationStatus.FINAL,
  U: ObservationStatus.FINAL,
  P: ObservationStatus.PRELIMINARY,
  R: ObservationStatus.PRELIMINARY,
  S: ObservationStatus.PRELIMINARY,
  I: ObservationStatus.REGISTERED,
  O: ObservationStatus.REGISTERED,
  X: ObservationStatus.CANCELLED,
  N: ObservationStatus.CANCELLED,
};

/** OBR-25 (table 0123) codes that 0085 does not have. */
const ORDER_STATUS: Readonly<Record<string, ObservationStatus>> = {
  ...RESULT_STATUS,
  S: ObservationStatus.REGISTERED,
  A: ObservationStatus.PRELIMINARY,
  Y: ObservationStatus.CANCELLED,
  Z: ObservationStatus.CANCELLED,
};

/** OBR-25 → status; undefined for a code outside table 0123. */
export function orderStatusOf(code: string | undefined): ObservationStatus | undefined {
  return code ? ORDER_STATUS[code.toUpperCase()] : undefined;
}

/** Abnormal flags (table 0078) that mean "outside the normal range". */
const OUT_OF_RANGE_FLAGS = new Set(['L', 'H', 'LL', 'HH', 'LU', 'HU', '<', '>', 'A', 'AA']);

/** Value types of table 0125 whose value is kept as text (components joined by spaces). */
const TEXT_LIKE = new Set([
  'AD',
  'CK',
  'CN',
  'CP',
  'CX',
  'ID',
  'IS',
  'MA',
  'MO',
  'NA',
  'NR',
  'PN',
  'TM',
  'TN',
  'XAD',
  'XCN',
  'XON',
  'XPN',
  'XTN',
]);
/** Value types whose content is not text (encapsulated data, references): value left out. */
const BINARY = new Set(['ED', 'RP']);

/** What an OBX takes from its OBR (or the message) when it does not say it itself. */
export interface ObservationDefaults {
  category: ObservationCategory;
  /** OBR-7. */
  observedAt?: Date;
  /** OBR-22. */
  issuedAt?: Date;
  /** OBR-25. */
  statusCode?: string;
  /** For PCD-01: prefer MDC codes. */
  preferSystems?: readonly string[];
}

/** A reference range as sent (`3.5-5.0`, `<5`, `>10`, `> 60 mL/min`), with its bounds. */
export interface ReferenceRange {
  low?: number;
  high?: number;
  lowExclusive?: boolean;
  highExclusive?: boolean;
  text: string;
}

const NUM = '([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))';
const RANGE = new RegExp(`^${NUM}\\s*(?:-|–|to)\\s*${NUM}(?:\\s+\\S.*)?$`, 'i');
const BOUND = new RegExp(`^(<=|>=|<|>|≤|≥)\\s*${NUM}(?:\\s+\\S.*)?$`);

/** Parses OBX-7.1. Bounds are left out when the text is not one of the known forms. */
export function parseReferenceRange(text: string): ReferenceRange {
  const trimmed = text.trim();
  const range: ReferenceRange = { text: trimmed };
  const between = RANGE.exec(trimmed);
  if (between) {
    range.low = Number(between[1]);
    range.high = Number(between[2]);
    return range;
  }
  const bound = BOUND.exec(trimmed);
  if (bound) {
    const op = bound[1]!;
    const value = Number(bound[2]);
    if (op.startsWith('<') || op === '≤') {
      range.high = value;
      range.highExclusive = op === '<';
    } else {
      range.low = value;
      range.lowExclusive = op === '>';
    }
  }
  return range;
}

function outsideRange(value: number, range: ReferenceRange): boolean {
  if (range.low !== undefined && (range.lowExclusive ? value <= range.low : value < range.low)) {
    return true;
  }
  if (range.high !== undefined) {
    return range.highExclusive ? value >= range.high : value > range.high;
  }
  return false;
}

/** MDC unit reference ids (ISO/IEEE 11073-10101 dimensions) → UCUM. */
const MDC_UNITS: Readonly<Record<string, string>> = {
  MDC_DIM_PERCENT: '%',
  MDC_DIM_BEAT_PER_MIN: '/min',
  MDC_DIM_RESP_PER_MIN: '/min',
  MDC_DIM_MMHG: 'mm[Hg]',
  MDC_DIM_KILO_PASCAL: 'kPa',
  MDC_DIM_DEGC: 'Cel',
  MDC_DIM_FAHR: '[degF]',
  MDC_DIM_KILO_G: 'kg',
  MDC_DIM_CENTI_M: 'cm',
  MDC_DIM_MILLI_MOLE_PER_L: 'mmol/L',
  MDC_DIM_MILLI_G_PER_DL: 'mg/dL',
  MDC_DIM_X_L_PER_MIN: 'L/min',
  MDC_DIM_MILLI_L: 'mL',
  MDC_DIM_MILLI_SEC: 'ms',
};

/**
 * OBX-6: the unit code (CE-1); the text (CE-2) when CE-1 is a coded id such as `CD:289`; for MDC
 * units the UCUM form of the reference id (`MDC_DIM_PERCENT` → `%`), else the reference id.
 */
function unitOf(r: Rep | undefined): string | undefined {
  const code = comp(r, 1);
  const display = comp(r, 2);
  const system = comp(r, 3)?.toUpperCase();
  if (system === 'HL70353') return undefined; // a null flavour (NA, NI…), not a unit
  if (system === 'MDC') return (display && MDC_UNITS[display.toUpperCase()]) ?? display ?? code;
  if (code && code.includes(':') && display) return display;
  return code ?? display;
}

/** Sets the typed value of OBX-5 on the record, by OBX-2. */
function setValue(
  msg: Hl7Message,
  obx: Hl7Segment,
  record: ObservationRecord,
  ctx: MappingContext,
): void {
  const values = reps(obx, 5);
  const valueType = field(obx, 2)?.toUpperCase();
  if (values.length === 0) return;
  if (!valueType) throw MappingError.requiredFieldMissing(locate(msg, obx, 2), 'value type');
  const first = values[0]!;
  const at = (component?: number) => locate(msg, obx, 5, component);
  const joined = (r: Rep, separator: string) =>
    r
      .map((c) => c[0]?.trim() ?? '')
      .join(separator)
      .trim();
  switch (valueType) {
    case 'NM': {
      const number = parseNumber(comp(first, 1) ?? '');
      if (number === undefined) throw MappingError.dataTypeError(at(), 'number (NM)');
      record.valueQuantity = number;
      return;
    }
    case 'SN': {
      const comparator = comp(first, 1) ?? '';
      const num1 = comp(first, 2);
      const separator = comp(first, 3) ?? '';
      const num2 = comp(first, 4);
      const n1 = num1 === undefined ? undefined : parseNumber(num1);
      const n2 = num2 === undefined ? undefined : parseNumber(num2);
      if (num1 !== undefined && n1 === undefined)
        throw MappingError.dataTypeError(at(2), 'number (SN)');
      if (num2 !== undefined && n2 === undefined)
        throw MappingError.dataTypeError(at(4), 'number (SN)');
      if (!/^(|=|<|>|<=|>=|<>)$/.test(comparator)) {
        throw MappingError.dataTypeError(at(1), 'comparator (SN)');
      }
      if (n1 !== undefined && num2 === undefined && separator === '' && /^=?$/.test(comparator)) {
        record.valueQuantity = n1;
      } else {
        record.valueString = `${comparator}${num1 ?? ''}${separator}${num2 ?? ''}`;
      }
      return;
    }
    case 'ST':
    case 'TX':
    case 'FT':
      record.valueString = values.map((r) => joined(r, '^')).join('\n');
      return;
    case 'CE':
    case 'CWE':
    case 'CNE':
    case 'CF': {
      const coded = readCoded(first, ctx);
      if (coded) record.valueCode = coded;
      return;
    }
    case 'DT': {
      const date = parseHl7Date(comp(first, 1) ?? '');
      if (!date) throw MappingError.dataTypeError(at(), 'date (DT)');
      record.valueString = date.value;
      return;
    }
    case 'TS':
    case 'DTM': {
      const raw = comp(first, 1) ?? '';
      const dateTime = parseHl7DateTime(raw, ctx.defaultTimeZone);
      if (!dateTime) throw MappingError.dataTypeError(at(), 'date/time (DTM)');
      const precise = !['year', 'month', 'day'].includes(dateTime.precision);
      record.valueString = precise ? dateTime.date.toISOString() : parseHl7Date(raw)!.value;
      return;
    }
    default:
      if (BINARY.has(valueType)) return;
      if (!TEXT_LIKE.has(valueType)) {
        throw MappingError.tableValueNotFound(locate(msg, obx, 2), '0125');
      }
      record.valueString = values.map((r) => joined(r, ' ').replace(/\s+/g, ' ')).join('\n');
  }
}

/** OBX-18 (EI) → device. */
export function deviceOf(r: Rep | undefined, ctx: MappingContext): DeviceRef | undefined {
  const id = comp(r, 1);
  if (!id) return undefined;
  const authority = authorityOf(r, 2, false);
  const universalId = comp(r, 3);
  const universalIdType = comp(r, 4);
  if (universalId) authority.universalId = universalId;
  if (universalIdType) authority.universalIdType = universalIdType;
  const device: DeviceRef = { id };
  if (authority.namespaceId || authority.universalId) {
    device.system = ctx.identifierSystem(authority, undefined);
  }
  return device;
}

/** Maps one OBX. 101 at OBX-3 (no code) and OBX-11 (no status here or in OBR-25). */
export function observationOf(
  msg: Hl7Message,
  obx: Hl7Segment,
  ctx: MappingContext,
  defaults: ObservationDefaults,
): ObservationRecord {
  const code = readCoded(rep(obx, 3), ctx, defaults.preferSystems ?? [LOINC_SYSTEM]);
  if (!code) throw MappingError.requiredFieldMissing(locate(msg, obx, 3), 'observation identifier');

  const statusCode = field(obx, 11)?.toUpperCase() ?? defaults.statusCode?.toUpperCase();
  if (!statusCode) throw MappingError.requiredFieldMissing(locate(msg, obx, 11), 'result status');
  const status = field(obx, 11) ? RESULT_STATUS[statusCode] : orderStatusOf(statusCode);
  if (!status) {
    throw field(obx, 11)
      ? MappingError.tableValueNotFound(locate(msg, obx, 11), '0085')
      : MappingError.tableValueNotFound(locate(msg, obx, 11), '0123');
  }

  const effectiveAt =
    dateTimeField(msg, obx, 14, ctx) ??
    defaults.observedAt ??
    dateTimeField(msg, msg.segment('MSH'), 7, ctx);
  if (!effectiveAt) {
    throw MappingError.requiredFieldMissing(locate(msg, obx, 14), 'date/time of the observation');
  }

  const flags = reps(obx, 8).flatMap((r) => comp(r, 1)?.toUpperCase() ?? []);
  const record: ObservationRecord = {
    status,
    statusCode,
    category: defaults.category,
    code,
    abnormalFlags: flags,
    outOfRange: flags.some((f) => OUT_OF_RANGE_FLAGS.has(f)),
    effectiveAt,
  };
  const setId = field(obx, 1);
  const subId = field(obx, 4);
  const valueType = field(obx, 2)?.toUpperCase();
  if (setId) record.setId = setId;
  if (subId) record.subId = subId;
  if (valueType) record.valueType = valueType;
  setValue(msg, obx, record, ctx);

  const unit = unitOf(rep(obx, 6));
  if (unit) record.unit = unit;
  const rangeText = field(obx, 7);
  if (rangeText) {
    const range = parseReferenceRange(rangeText);
    record.referenceRangeText = range.text;
    if (range.low !== undefined) record.referenceRangeLow = range.low;
    if (range.high !== undefined) record.referenceRangeHigh = range.high;
    if (record.valueQuantity !== undefined && outsideRange(record.valueQuantity, range)) {
      record.outOfRange = true;
    }
  }
  if (flags[0]) record.interpretation = flags[0];
  if (defaults.issuedAt) record.issuedAt = defaults.issuedAt;
  const note = notesAfter(msg, obx);
  if (note) record.note = note;
  const device = deviceOf(rep(obx, 18), ctx);
  if (device) record.device = device;
  return record;
}
