/**
 * Readers of HL7 v2 composite data types (CE/CWE, CX, XPN, XCN, XAD, XTN, PL, EI, HD) from one
 * field repetition, and the small helpers every extractor shares.
 */
import { ContactPointSystem, ContactPointUse } from '@caregraph/schema';
import type { ErrorLocation, Hl7Message, Hl7Segment, Hl7Value } from '../message/types.js';
import type { AssigningAuthority, MappingContext } from './hooks.js';
import type {
  AddressRecord,
  CodedConceptRecord,
  ContactPointRecord,
  HumanNameRecord,
  PatientIdentifierRecord,
  PractitionerRef,
} from './records.js';
import { US_NPI_SYSTEM } from './code-systems.js';

/** One field repetition: components of sub-components. */
export type Rep = readonly (readonly Hl7Value[])[];

/** A value as trimmed text; `null`, `undefined` and blanks are undefined. */
export function text(value: Hl7Value): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Component `c` (1-based), sub-component `s`, of a repetition, as text. */
export function comp(rep: Rep | undefined, c: number, s = 1): string | undefined {
  return text(rep?.[c - 1]?.[s - 1]);
}

/** Whether a repetition holds any value (not only empty components or `""`). */
function hasValue(rep: Rep): boolean {
  return rep.some((component) => component.some((sub) => text(sub) !== undefined));
}

/** The repetitions of field `n` that hold a value. */
export function reps(seg: Hl7Segment | undefined, n: number): Rep[] {
  if (!seg) return [];
  return seg.repetitions(n).filter(hasValue);
}

/** The first repetition of field `n` that holds a value. */
export function rep(seg: Hl7Segment | undefined, n: number): Rep | undefined {
  return reps(seg, n)[0];
}

/** Field `n`, first component, as text. */
export function field(seg: Hl7Segment | undefined, n: number, c = 1): string | undefined {
  return comp(rep(seg, n), c);
}

/**
 * Whether field `n` is `absent` (empty: leave the stored value), `null` (the HL7 null `""`: clear
 * it) or `present`.
 */
export function fieldState(seg: Hl7Segment, n: number): 'absent' | 'null' | 'present' {
  const all = seg.repetitions(n);
  if (all.some(hasValue)) return 'present';
  const isNull = all.some((r) => r.length > 0 && r[0]?.[0] === null);
  return isNull || seg.get(String(n)) === null ? 'null' : 'absent';
}

/** The 1-based sequence of `seg` among the segments of its name (for ERR-2). */
export function sequenceOf(msg: Hl7Message, seg: Hl7Segment): number {
  return msg.all(seg.name).findIndex((s) => s.index === seg.index) + 1;
}

/** An {@link ErrorLocation} for field `fieldNumber` of `seg`. */
export function locate(
  msg: Hl7Message,
  seg: Hl7Segment,
  fieldNumber: number,
  component?: number,
): ErrorLocation {
  const location: ErrorLocation = {
    segment: seg.name,
    sequence: sequenceOf(msg, seg),
    field: fieldNumber,
  };
  if (component !== undefined) location.component = component;
  return location;
}

/** HD from components `c`, `c+1`, `c+2` (XCN-9 style) or from the sub-components of one component. */
export function authorityOf(
  rep: Rep | undefined,
  c: number,
  asSubcomponents: boolean,
): AssigningAuthority {
  const pick = asSubcomponents
    ? (i: number) => comp(rep, c, i)
    : (i: number) => (i === 1 ? comp(rep, c) : undefined);
  const authority: AssigningAuthority = {};
  const namespaceId = pick(1);
  const universalId = pick(2);
  const universalIdType = pick(3);
  if (namespaceId) authority.namespaceId = namespaceId;
  if (universalId) authority.universalId = universalId;
  if (universalIdType) authority.universalIdType = universalIdType;
  return authority;
}

function isEmptyAuthority(authority: AssigningAuthority): boolean {
  return !authority.namespaceId && !authority.universalId;
}

/**
 * CE/CWE/CNE: `id^text^system^altId^altText^altSystem`. With `prefer`, the alternate coding is
 * taken when only it is in one of the preferred systems (e.g. LOINC for OBX-3). `table` is the
 * HL7 table (`0063`) whose system a code without a coding system name gets.
 */
export function readCoded(
  rep: Rep | undefined,
  ctx: MappingContext,
  prefer: readonly string[] = [],
  table?: string,
): CodedConceptRecord | undefined {
  if (!rep) return undefined;
  const coding = (offset: number): CodedConceptRecord | undefined => {
    const code = comp(rep, offset + 1);
    const display = comp(rep, offset + 2);
    if (!code && !display) return undefined;
    const record: CodedConceptRecord = {};
    const systemName = comp(rep, offset + 3);
    if (code) {
      record.system =
        !systemName && table
          ? `http://terminology.hl7.org/CodeSystem/v2-${table}`
          : ctx.codeSystem(systemName);
    }
    if (code) record.code = code;
    if (display) record.display = display;
    return record;
  };
  const primary = coding(0);
  const alternate = coding(3);
  const preferred = (c: CodedConceptRecord | undefined) =>
    c?.code !== undefined && c.system !== undefined && prefer.includes(c.system);
  if (alternate && preferred(alternate) && !preferred(primary)) return alternate;
  return primary ?? alternate;
}

/** The display text of a coded value, else its code. */
export function codedText(coded: CodedConceptRecord | undefined): string | undefined {
  return coded?.display ?? coded?.code;
}

const NAME_USE: Readonly<Record<string, string>> = {
  L: 'official',
  C: 'official',
  B: 'official',
  R: 'official',
  D: 'usual',
  A: 'usual',
  T: 'usual',
  M: 'maiden',
  N: 'nickname',
  S: 'anonymous',
};

function nameFrom(
  rep: Rep,
  family: number,
  given: number,
  middle: number,
  suffix: number,
  prefix: number,
  degree: number,
  type: number,
): HumanNameRecord | undefined {
  const record: HumanNameRecord = { given: [], prefix: [], suffix: [] };
  const familyName = comp(rep, family);
  if (familyName) record.family = familyName;
  for (const part of [comp(rep, given), comp(rep, middle)]) {
    if (part) record.given.push(...part.split(/\s+/));
  }
  const prefixText = comp(rep, prefix);
  if (prefixText) record.prefix.push(prefixText);
  for (const part of [comp(rep, suffix), comp(rep, degree)]) if (part) record.suffix.push(part);
  if (!record.family && record.given.length === 0) return undefined;
  const use = NAME_USE[comp(rep, type)?.toUpperCase() ?? ''];
  if (use) record.use = use;
  return record;
}

/** XPN: `family^given^middle^suffix^prefix^degree^type`. */
export function readName(rep: Rep | undefined): HumanNameRecord | undefined {
  return rep ? nameFrom(rep, 1, 2, 3, 4, 5, 6, 7) : undefined;
}

/**
 * XCN: `id^family^given^middle^suffix^prefix^degree^source^authority^type…^idType(13)`. NPI
 * when XCN-9 or XCN-13 says so.
 */
export function readPractitioner(
  rep: Rep | undefined,
  ctx: MappingContext,
): PractitionerRef | undefined {
  if (!rep) return undefined;
  const ref: PractitionerRef = {};
  const id = comp(rep, 1);
  const name = nameFrom(rep, 2, 3, 4, 5, 6, 7, 10);
  if (name) ref.name = name;
  if (id) {
    const authority = authorityOf(rep, 9, true);
    const idType = comp(rep, 13);
    const system = ctx.identifierSystem(authority, idType);
    if (system === US_NPI_SYSTEM) ref.npi = id;
    else {
      ref.id = id;
      ref.idSystem = system;
    }
  }
  return ref.name || ref.npi || ref.id ? ref : undefined;
}

/** CX: `id^check^scheme^authority(HD)^type^facility(HD)`. */
export function readIdentifier(
  rep: Rep,
  ctx: MappingContext,
  use?: string,
): PatientIdentifierRecord | undefined {
  const value = comp(rep, 1);
  if (!value) return undefined;
  let authority = authorityOf(rep, 4, true);
  if (isEmptyAuthority(authority)) authority = authorityOf(rep, 6, true);
  const type = comp(rep, 5);
  const record: PatientIdentifierRecord = {
    system: ctx.identifierSystem(authority, type),
    value,
  };
  if (type) record.type = type.toUpperCase();
  const assigner = authority.namespaceId ?? authority.universalId;
  if (assigner) record.assigner = assigner;
  if (use) record.use = use;
  return record;
}

const ADDRESS_USE: Readonly<Record<string, string>> = {
  H: 'home',
  P: 'home',
  L: 'home',
  M: 'home',
  RH: 'home',
  B: 'work',
  O: 'work',
  C: 'temp',
  BA: 'old',
  BI: 'billing',
};
/** Address types that are not where the person can be reached (birth place, country of origin). */
const NOT_A_CONTACT_ADDRESS = new Set(['N', 'BDL', 'BR', 'F']);

/** XAD: `street^other^city^state^zip^country^type`. */
export function readAddress(rep: Rep): AddressRecord | undefined {
  const type = comp(rep, 7)?.toUpperCase();
  if (type && NOT_A_CONTACT_ADDRESS.has(type)) return undefined;
  const record: AddressRecord = { line: [] };
  for (const line of [comp(rep, 1), comp(rep, 2)]) if (line) record.line.push(line);
  const city = comp(rep, 3);
  const state = comp(rep, 4);
  const postalCode = comp(rep, 5);
  const country = comp(rep, 6);
  if (city) record.city = city;
  if (state) record.state = state;
  if (postalCode) record.postalCode = postalCode;
  if (country) record.country = country;
  if (record.line.length === 0 && !city && !state && !postalCode && !country) return undefined;
  const use = type ? ADDRESS_USE[type] : undefined;
  if (use) record.use = use;
  return record;
}

/**
 * XTN: `number^use(0201)^equipment(0202)^email^country^area^local^extension…^unformatted(12)`.
 * `defaultUse` applies when XTN-2 says nothing (home for PID-13, work for PID-14).
 */
export function readTelecom(rep: Rep, defaultUse: ContactPointUse): ContactPointRecord | undefined {
  const useCode = comp(rep, 2)?.toUpperCase();
  const equipment = comp(rep, 3)?.toUpperCase();
  const isEmail = equipment === 'INTERNET' || equipment === 'X.400' || useCode === 'NET';
  let value: string | undefined;
  if (isEmail) value = comp(rep, 4) ?? comp(rep, 1);
  else {
    value = comp(rep, 1) ?? comp(rep, 12);
    if (!value) {
      const local = comp(rep, 7);
      if (local) {
        const country = comp(rep, 5);
        const area = comp(rep, 6);
        const extension = comp(rep, 8);
        value = [country ? `+${country}` : '', area ? `(${area})` : '', local]
          .filter(Boolean)
          .join(' ');
        if (extension) value += ` x${extension}`;
      }
    }
  }
  if (!value) return undefined;
  let system = ContactPointSystem.PHONE;
  if (isEmail) system = ContactPointSystem.EMAIL;
  else if (equipment === 'FX') system = ContactPointSystem.FAX;
  else if (equipment === 'BP') system = ContactPointSystem.OTHER;
  let use = defaultUse;
  if (equipment === 'CP') use = ContactPointUse.MOBILE;
  else if (useCode === 'PRN' || useCode === 'ORN') use = ContactPointUse.HOME;
  else if (useCode === 'WPN') use = ContactPointUse.WORK;
  else if (useCode === 'VHN') use = ContactPointUse.TEMP;
  return { system, value, use };
}

/** PL: `point^room^bed^facility(HD)`, empty trailing parts dropped: `4W^401^B`. */
export function readLocation(rep: Rep | undefined): string | undefined {
  if (!rep) return undefined;
  const parts = [comp(rep, 1), comp(rep, 2), comp(rep, 3), comp(rep, 4)];
  while (parts.length > 0 && parts[parts.length - 1] === undefined) parts.pop();
  return parts.length > 0 ? parts.map((p) => p ?? '').join('^') : undefined;
}

/** The lines of every NTE segment that follows segment position `after`, up to the next non-NTE. */
export function notesAfter(msg: Hl7Message, after: Hl7Segment): string | undefined {
  const lines: string[] = [];
  for (let i = after.index + 1; i < msg.segments.length; i++) {
    const seg = msg.segments[i]!;
    if (seg.name !== 'NTE') break;
    for (const r of seg.repetitions(3)) {
      const line = text(r[0]?.[0]);
      if (line) lines.push(line);
    }
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}
