/** PID → patient, NK1 → related persons, PD1-4 / ROL PCP → primary care provider. */
import { AdministrativeGender, ContactPointUse } from '@caregraph/schema';
import type { Hl7Message, Hl7Segment } from '../message/types.js';
import { toLanguageTag } from './code-systems.js';
import { dateField, dateTimeField } from './context.js';
import { parseHl7DateTime } from './datetime.js';
import {
  comp,
  field,
  fieldState,
  locate,
  readAddress,
  readCoded,
  readIdentifier,
  readName,
  readPractitioner,
  readTelecom,
  rep,
  reps,
} from './datatypes.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import type {
  AddressRecord,
  ContactPointRecord,
  PatientIdentifierRecord,
  PatientRecord,
  PractitionerRef,
  RelatedPersonRecord,
} from './records.js';

const GENDER: Readonly<Record<string, AdministrativeGender>> = {
  M: AdministrativeGender.MALE,
  F: AdministrativeGender.FEMALE,
  O: AdministrativeGender.OTHER,
  A: AdministrativeGender.OTHER,
  N: AdministrativeGender.OTHER,
  X: AdministrativeGender.OTHER,
  U: AdministrativeGender.UNKNOWN,
};

/**
 * Identifiers of a CX field (PID-3, MRG-1): every repetition with a value. A 101 at the field
 * when there is none.
 */
export function identifiersOf(
  msg: Hl7Message,
  seg: Hl7Segment,
  n: number,
  ctx: MappingContext,
  use?: string,
): PatientIdentifierRecord[] {
  const identifiers = reps(seg, n)
    .map((r) => readIdentifier(r, ctx, use))
    .filter((id): id is PatientIdentifierRecord => id !== undefined);
  if (identifiers.length === 0) {
    throw MappingError.requiredFieldMissing(locate(msg, seg, n), 'patient identifier list');
  }
  return identifiers;
}

/** Reads a list-valued demographic: undefined when absent, null for `""`, else the items. */
function listOf<T>(
  seg: Hl7Segment,
  fields: number[],
  read: (n: number) => T[],
): T[] | null | undefined {
  const states = fields.map((n) => fieldState(seg, n));
  if (states.every((s) => s === 'absent')) return undefined;
  const items = fields.flatMap((n, i) => (states[i] === 'present' ? read(n) : []));
  if (items.length > 0) return items;
  return states.includes('null') ? null : undefined;
}

/** PID → {@link PatientRecord}. 101 at PID-3 when no identifier is given. */
export function patientOf(msg: Hl7Message, pid: Hl7Segment, ctx: MappingContext): PatientRecord {
  const patient: PatientRecord = { identifiers: identifiersOf(msg, pid, 3, ctx) };

  const names = listOf(pid, [5], (n) => reps(pid, n).flatMap((r) => readName(r) ?? []));
  if (names !== undefined) patient.names = names;

  const birth = fieldState(pid, 7);
  if (birth === 'null') patient.birthDate = null;
  else if (birth === 'present') {
    const date = dateField(msg, pid, 7);
    if (date?.precision === 'day') patient.birthDate = date.value;
  }

  const gender = fieldState(pid, 8);
  if (gender === 'null') patient.gender = null;
  else if (gender === 'present') {
    const code = field(pid, 8)!.toUpperCase();
    const mapped = GENDER[code];
    if (!mapped) throw MappingError.tableValueNotFound(locate(msg, pid, 8), '0001');
    patient.gender = mapped;
  }

  const address = listOf<AddressRecord>(pid, [11], (n) =>
    reps(pid, n).flatMap((r) => readAddress(r) ?? []),
  );
  if (address !== undefined) patient.address = address;

  const telecom = listOf<ContactPointRecord>(pid, [13, 14], (n) =>
    reps(pid, n).flatMap(
      (r) => readTelecom(r, n === 13 ? ContactPointUse.HOME : ContactPointUse.WORK) ?? [],
    ),
  );
  if (telecom !== undefined) patient.telecom = telecom;

  const language = fieldState(pid, 15);
  if (language === 'null') patient.preferredLanguage = null;
  else if (language === 'present') {
    const tag = toLanguageTag(field(pid, 15));
    if (tag) patient.preferredLanguage = tag;
  }

  const marital = fieldState(pid, 16);
  if (marital === 'null') patient.maritalStatus = null;
  else if (marital === 'present') {
    const coded = readCoded(rep(pid, 16), ctx, [], '0002');
    if (coded) patient.maritalStatus = coded;
  }

  const deathAt = fieldState(pid, 29);
  const deathFlag = fieldState(pid, 30);
  if (deathAt === 'null') patient.deceasedAt = null;
  else if (deathAt === 'present') patient.deceasedAt = dateTimeField(msg, pid, 29, ctx)!;
  if (deathFlag === 'null') patient.deceased = null;
  else if (deathFlag === 'present') {
    const flag = field(pid, 30)!.toUpperCase();
    if (flag !== 'Y' && flag !== 'N') {
      throw MappingError.tableValueNotFound(locate(msg, pid, 30), '0136');
    }
    patient.deceased = flag === 'Y';
  } else if (patient.deceasedAt) patient.deceased = true;

  return patient;
}

/** HL7 table 0063 relationship codes → v3 RoleCode. Codes not listed pass through upper-cased. */
const RELATIONSHIP: Readonly<Record<string, string>> = {
  SPO: 'SPS',
  SPS: 'SPS',
  WIF: 'WIFE',
  WIFE: 'WIFE',
  HUS: 'HUSB',
  HUSB: 'HUSB',
  DOM: 'DOMPART',
  MTH: 'MTH',
  FTH: 'FTH',
  PAR: 'PRN',
  CHD: 'CHILD',
  SON: 'SONC',
  DAU: 'DAUC',
  SIB: 'SIB',
  BRO: 'BRO',
  SIS: 'SIS',
  GRP: 'GRPRN',
  GCH: 'GRNDCHILD',
  FND: 'FRND',
  FRND: 'FRND',
  GRD: 'GUARD',
  GUA: 'GUARD',
  CGV: 'CAREGIVER',
  EMC: 'ECON',
  EXF: 'EXT',
  OTH: 'O',
};

/** NK1-7 contact role → v3 RoleCode, used when NK1-3 is empty. */
const CONTACT_ROLE: Readonly<Record<string, string>> = { EC: 'ECON', NK: 'NOK', CG: 'CAREGIVER' };

/** NK1 → {@link RelatedPersonRecord}; undefined for a contact without a person name. */
export function relatedPersonOf(
  msg: Hl7Message,
  nk1: Hl7Segment,
  ctx: MappingContext,
): RelatedPersonRecord | undefined {
  const name = readName(rep(nk1, 2));
  if (!name) return undefined;
  const relationshipCode = readCoded(rep(nk1, 3), ctx, [], '0063');
  const code = comp(rep(nk1, 3), 1)?.toUpperCase();
  const role = field(nk1, 7)?.toUpperCase();
  const relationship =
    (code ? (RELATIONSHIP[code] ?? code) : undefined) ??
    (role ? (CONTACT_ROLE[role] ?? role) : undefined) ??
    'NOK';
  const person: RelatedPersonRecord = {
    relationship,
    name,
    telecom: [
      ...reps(nk1, 5).flatMap((r) => readTelecom(r, ContactPointUse.HOME) ?? []),
      ...reps(nk1, 6).flatMap((r) => readTelecom(r, ContactPointUse.WORK) ?? []),
    ],
    address: reps(nk1, 4).flatMap((r) => readAddress(r) ?? []),
  };
  if (relationshipCode) person.relationshipCode = relationshipCode;
  // NK1-8/9 are informational: a malformed date there is dropped rather than failing the ADT.
  const start = lenientDateTime(nk1, 8, ctx);
  const end = lenientDateTime(nk1, 9, ctx);
  if (start) person.periodStart = start;
  if (end) person.periodEnd = end;
  return person;
}

function lenientDateTime(seg: Hl7Segment, n: number, ctx: MappingContext): Date | undefined {
  const value = field(seg, n);
  return value === undefined ? undefined : parseHl7DateTime(value, ctx.defaultTimeZone)?.date;
}

/** PD1-4, else the person of the first `ROL` whose role (ROL-3) is PCP. */
export function primaryCareProviderOf(
  msg: Hl7Message,
  ctx: MappingContext,
): PractitionerRef | undefined {
  const fromPd1 = readPractitioner(rep(msg.segment('PD1'), 4), ctx);
  if (fromPd1) return fromPd1;
  const rol = msg.all('ROL').find((seg) => field(seg, 3)?.toUpperCase() === 'PCP');
  return readPractitioner(rep(rol, 4), ctx);
}
