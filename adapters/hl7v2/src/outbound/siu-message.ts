import { AdministrativeGender, AppointmentStatus, CareEventType } from '@caregraph/schema';
import { formatTimestamp, writeMessage } from '../message/index.js';
import type {
  WriterField,
  WriterRepetition,
  WriterSegment,
  WriterValue,
} from '../message/index.js';
import { US_NPI_SYSTEM, US_SSN_SYSTEM } from '../mappings/code-systems.js';

/** The SIU triggers the hub sends. */
export type OutboundSiuTrigger = 'S12' | 'S13' | 'S14' | 'S15' | 'S26';

/** The HL7 version of outbound messages. */
export const OUTBOUND_VERSION = '2.5.1';

/**
 * The trigger of an appointment event: S12 booked (S14, a modification, when the appointment was
 * already announced to the destination, e.g. pending then booked), S13 rescheduled, S15
 * cancelled, S26 no-show.
 */
export function siuTriggerOf(
  type: CareEventType,
  alreadyAnnounced: boolean,
): OutboundSiuTrigger | undefined {
  switch (type) {
    case CareEventType.APPOINTMENT_BOOKED:
      return alreadyAnnounced ? 'S14' : 'S12';
    case CareEventType.APPOINTMENT_RESCHEDULED:
      return 'S13';
    case CareEventType.APPOINTMENT_CANCELLED:
      return 'S15';
    case CareEventType.APPOINTMENT_NO_SHOW:
      return 'S26';
    default:
      return undefined;
  }
}

/** A name as the writer needs it (FHIR HumanName). */
export interface SiuName {
  use?: string;
  family?: string;
  given: readonly string[];
  prefix: readonly string[];
  suffix: readonly string[];
}

/** A patient identifier (FHIR Identifier). */
export interface SiuIdentifier {
  system: string;
  value: string;
  type?: string;
  assigner?: string;
}

/** What an SIU is written from: the appointment as stored, its patient and practitioner. */
export interface SiuInput {
  trigger: OutboundSiuTrigger;
  controlId: string;
  /** MSH-7. */
  now: Date;
  /** MSH-3/MSH-4: the hub. */
  sendingApplication: string;
  sendingFacility?: string;
  /** MSH-5/MSH-6: the destination. */
  receivingApplication: string;
  receivingFacility?: string;
  appointment: {
    id: string;
    status: AppointmentStatus;
    start: Date;
    end: Date;
    serviceType?: { system?: string; code?: string; display?: string };
    location?: string;
  };
  practitioner?: { id: string; npi?: string; name: SiuName };
  patient: {
    id: string;
    names: readonly SiuName[];
    birthDate?: string;
    gender?: AdministrativeGender;
  };
  identifiers: readonly SiuIdentifier[];
}

/** AppointmentStatus → SCH-25 filler status code (HL7 table 0278). */
const FILLER_STATUS: Readonly<Record<AppointmentStatus, string>> = {
  [AppointmentStatus.PROPOSED]: 'Pending',
  [AppointmentStatus.PENDING]: 'Pending',
  [AppointmentStatus.BOOKED]: 'Booked',
  [AppointmentStatus.ARRIVED]: 'Started',
  [AppointmentStatus.CHECKED_IN]: 'Started',
  [AppointmentStatus.FULFILLED]: 'Complete',
  [AppointmentStatus.CANCELLED]: 'Cancelled',
  [AppointmentStatus.NO_SHOW]: 'Noshow',
  [AppointmentStatus.ENTERED_IN_ERROR]: 'Deleted',
  [AppointmentStatus.WAITLIST]: 'Waitlist',
};

/** SCH-6 event reason of each trigger (the hub's own codes, with their text). */
const EVENT_REASON: Readonly<Record<OutboundSiuTrigger, [string, string]>> = {
  S12: ['BOOKED', 'Appointment booked'],
  S13: ['RESCHEDULED', 'Appointment rescheduled'],
  S14: ['MODIFIED', 'Appointment modified'],
  S15: ['CANCELLED', 'Appointment cancelled'],
  S26: ['NOSHOW', 'Patient did not show up'],
};

/** FHIR name use → XPN-7 name type (table 0200). */
const NAME_TYPE: Readonly<Record<string, string>> = {
  official: 'L',
  usual: 'D',
  maiden: 'M',
  nickname: 'N',
  anonymous: 'S',
};

const SEX: Readonly<Record<AdministrativeGender, string>> = {
  [AdministrativeGender.MALE]: 'M',
  [AdministrativeGender.FEMALE]: 'F',
  [AdministrativeGender.OTHER]: 'O',
  [AdministrativeGender.UNKNOWN]: 'U',
};

/** A code system URI → its HL7 coding system name (table 0396), for CE-3. */
const CODING_SYSTEM: Readonly<Record<string, string>> = {
  'http://loinc.org': 'LN',
  'http://snomed.info/sct': 'SCT',
  'http://www.ama-assn.org/go/cpt': 'CPT4',
};

const OID_SYSTEM = /^urn:oid:([0-2](?:\.(?:0|[1-9]\d*))+)$/;
const UUID_SYSTEM = /^urn:uuid:([0-9a-f-]{36})$/i;
const HL7V2_SYSTEM = /^urn:hl7v2:([^:]+)(?::[^:]+)?$/;

/**
 * CX-4 (HD `namespace&universal id&type`) of an identifier system: the inverse of the inbound
 * rule (README, "Identifier systems"), so what came in as `12345^^^GHH^MR` goes out the same.
 */
function authorityOf(identifier: SiuIdentifier): WriterValue[] {
  const { system, assigner } = identifier;
  const oid = OID_SYSTEM.exec(system);
  if (oid) return [assigner, oid[1], 'ISO'];
  const uuid = UUID_SYSTEM.exec(system);
  if (uuid) return [assigner, uuid[1], 'UUID'];
  const local = HL7V2_SYSTEM.exec(system);
  if (local) return [assigner ?? safeDecode(local[1]!)];
  if (system === US_SSN_SYSTEM) return [assigner ?? 'USSSA'];
  if (system === US_NPI_SYSTEM) return [assigner ?? 'NPI'];
  return [assigner, system, 'URI'];
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function identifierType(identifier: SiuIdentifier): string | undefined {
  if (identifier.type) return identifier.type;
  if (identifier.system === US_SSN_SYSTEM) return 'SS';
  if (identifier.system === US_NPI_SYSTEM) return 'NPI';
  return undefined;
}

/** CX: `id^^^authority^type`. */
function cx(identifier: SiuIdentifier): WriterRepetition {
  return [
    identifier.value,
    undefined,
    undefined,
    authorityOf(identifier),
    identifierType(identifier),
  ];
}

const joined = (parts: readonly string[]): string | undefined => parts.join(' ') || undefined;

/** XPN: `family^given^middle^suffix^prefix^^type`. */
function xpn(name: SiuName): WriterRepetition {
  const [given, ...middle] = name.given;
  const type = name.use ? NAME_TYPE[name.use] : undefined;
  return [
    name.family,
    given,
    joined(middle),
    joined(name.suffix),
    joined(name.prefix),
    undefined,
    type,
  ];
}

/** XCN of the practitioner: the NPI (XCN-9 and XCN-13 `NPI`) when known, else the hub's id. */
function xcn(
  practitioner: NonNullable<SiuInput['practitioner']>,
  application: string,
): WriterField {
  const { name, npi } = practitioner;
  const rep: WriterValue[] = [
    npi ?? practitioner.id,
    name.family,
    name.given[0],
    joined(name.given.slice(1)),
    joined(name.suffix),
    joined(name.prefix),
    undefined,
    undefined,
    npi ? 'NPI' : application,
  ];
  if (npi) rep.push(undefined, undefined, undefined, 'NPI');
  return [rep];
}

/** CE of the service type: `code^text^coding system`. */
function serviceCe(serviceType: SiuInput['appointment']['serviceType']): WriterField {
  if (!serviceType?.code && !serviceType?.display) return undefined;
  const system =
    serviceType.code && serviceType.system
      ? (CODING_SYSTEM[serviceType.system] ?? serviceType.system)
      : undefined;
  return [[serviceType.code, serviceType.display, system]];
}

/** A segment from its fields by number (`{ 3: value }` is field 3). */
function segment(name: string, fields: Readonly<Record<number, WriterField>>): WriterSegment {
  const numbers = Object.keys(fields).map(Number);
  const out: WriterField[] = [];
  for (let n = 1; n <= Math.max(0, ...numbers); n++) out.push(fields[n]);
  return [name, ...out];
}

const ts = (date: Date): string => formatTimestamp(date, OUTBOUND_VERSION);
/** HL7 DT from an ISO date (`YYYY-MM-DD`). */
const dt = (date: string | undefined) => (date ? date.replaceAll('-', '').slice(0, 8) : undefined);
const MINUTES: WriterField = [['MIN', 'minutes', 'ANS+']];

/**
 * Writes an SIU (v2.5.1, structure SIU_S12) about one appointment as it is stored now (snapshot
 * mode: no segment action codes): MSH, SCH, TQ1, PID, RGS, AIS (when it has a service type),
 * AIL (a location), AIP (a practitioner). The writer escapes the text; MSH-18 says UTF-8 when
 * the text is not ASCII.
 */
export function writeSiu(input: SiuInput): string {
  const { appointment, trigger } = input;
  const app = input.sendingApplication;
  const filler: WriterField = [[FILLER_STATUS[appointment.status], undefined, 'HL70278']];
  const start = ts(appointment.start);
  const end = ts(appointment.end);
  const duration = String(
    Math.round((appointment.end.getTime() - appointment.start.getTime()) / 60_000),
  );
  const [reasonCode, reasonText] = EVENT_REASON[trigger];
  const service = serviceCe(appointment.serviceType);
  const header = (characterSet?: string) =>
    segment('MSH', {
      3: input.sendingApplication,
      4: input.sendingFacility,
      5: input.receivingApplication,
      6: input.receivingFacility,
      7: ts(input.now),
      9: [['SIU', trigger, 'SIU_S12']],
      10: input.controlId,
      11: 'P',
      12: OUTBOUND_VERSION,
      18: characterSet,
    });
  const body: WriterSegment[] = [
    segment('SCH', {
      2: [[appointment.id, app]],
      6: [[reasonCode, reasonText, 'CAREGRAPH']],
      7: service,
      9: duration,
      10: MINUTES,
      11: [[undefined, undefined, undefined, start, end]],
      25: filler,
    }),
    segment('TQ1', { 1: '1', 7: start, 8: end }),
    segment('PID', {
      1: '1',
      3: input.identifiers.map(cx),
      5: input.patient.names.length > 0 ? input.patient.names.map(xpn) : undefined,
      7: dt(input.patient.birthDate),
      8: input.patient.gender ? SEX[input.patient.gender] : undefined,
    }),
    segment('RGS', { 1: '1' }),
  ];
  if (service)
    body.push(
      segment('AIS', { 1: '1', 3: service, 4: start, 7: duration, 8: MINUTES, 10: filler }),
    );
  if (appointment.location) {
    // PL-9, the location description: the hub stores the location as free text.
    const pl: WriterValue[] = [...Array<undefined>(8).fill(undefined), appointment.location];
    body.push(segment('AIL', { 1: '1', 3: [pl], 6: start, 9: duration, 10: MINUTES, 12: filler }));
  }
  if (input.practitioner)
    body.push(
      segment('AIP', {
        1: '1',
        3: xcn(input.practitioner, app),
        6: start,
        9: duration,
        10: MINUTES,
        12: filler,
      }),
    );
  const text = writeMessage([header(), ...body]);
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(text) ? writeMessage([header('UNICODE UTF-8'), ...body]) : text;
}
