import {
  CITIES,
  FAMILY_NAMES,
  FEMALE_GIVEN,
  LABS,
  MALE_GIVEN,
  STREETS,
  type ObservationCode,
} from '../graphql-read/clinical-values.js';

/**
 * The message generator of hl7-ingest: a deterministic stream (seeded) of ADT^A01, ADT^A08 and
 * ORU^R01 messages about `patients` distinct patients, each with a unique control id. Each
 * message exists twice: as HL7 v2 text (what the MLLP senders and the parse-only baseline get)
 * and as the structured case it was written from (what the raw SQL baseline inserts, so that
 * baseline parses nothing).
 */

/** A patient's demographics (ADT PID and ORU PID carry them). */
export interface PatientCase {
  index: number;
  mrn: string;
  family: string;
  given: string;
  middle: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  gender: 'male' | 'female';
  street: string;
  city: string;
  state: string;
  zip: string;
  /** `(217)555-0101`; an A08 changes it. */
  phone: string;
}

/** An attending physician (PV1-7): a sender's local id and a name. */
export interface AttendingCase {
  id: string;
  family: string;
  given: string;
}

/** One numeric result (OBX). */
export interface ResultCase {
  code: ObservationCode;
  value: number;
  flag: 'H' | 'L' | 'N';
  /** ISO instant of OBX-14 (unique per message: every result is a new observation). */
  effectiveAt: string;
}

interface CaseBase {
  controlId: string;
  patient: PatientCase;
  /** ISO instant of MSH-7. */
  sentAt: string;
}

/** ADT^A01 (admit: a new visit) or ADT^A08 (update of the patient's latest visit). */
export interface AdtCase extends CaseBase {
  kind: 'ADT^A01' | 'ADT^A08';
  visitNumber: string;
  /** ISO instant of PV1-44 (admit time). */
  admittedAt: string;
  ward: string;
  room: string;
  bed: string;
  attending: AttendingCase;
  nextOfKin: { family: string; given: string; phone: string };
}

/** ORU^R01: one order (OBR) with 3–8 results, for the patient's latest visit when known. */
export interface OruCase extends CaseBase {
  kind: 'ORU^R01';
  visitNumber?: string;
  placerOrder: string;
  fillerOrder: string;
  results: ResultCase[];
}

/** A generated message: its case and its HL7 text (CR-separated segments). */
export type MessageCase = AdtCase | OruCase;
export interface GeneratedMessage {
  case: MessageCase;
  text: string;
}

/** Options of a message stream. */
export interface MessageStreamOptions {
  /** Share of ADT messages (0–1); the rest are ORU. */
  adtShare: number;
  /** Distinct patients (MRNs). */
  patients: number;
  /** PRNG seed: the same seed gives the same messages. */
  seed: number;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE_TIME = Date.UTC(2026, 10, 1, 6, 0, 0);
const ATTENDINGS: AttendingCase[] = Array.from({ length: 40 }, (_, i) => ({
  id: `D${String(4000 + i)}`,
  family: FAMILY_NAMES[(i * 11) % FAMILY_NAMES.length]!,
  given: (i % 2 ? FEMALE_GIVEN : MALE_GIVEN)[(i * 7) % 30]!,
}));
const WARDS = ['4W', '5E', '3N', 'ICU', '6S', 'MAT'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An ISO instant as an HL7 DTM with a UTC offset: `20261101060000+0000`. */
export function hl7Time(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}+0000`;
}

function patientOf(index: number, random: () => number): PatientCase {
  const female = index % 2 === 0;
  const given = (female ? FEMALE_GIVEN : MALE_GIVEN)[index % 30]!;
  const middle = (female ? FEMALE_GIVEN : MALE_GIVEN)[(index * 7 + 3) % 30]!;
  const [city, state, zip] = CITIES[index % CITIES.length]!;
  const born = new Date(Date.UTC(1935, 0, 1) + Math.floor(random() * 80 * 365.25) * 86_400_000);
  return {
    index,
    mrn: `MRN${String(1_000_000 + index)}`,
    family: FAMILY_NAMES[(index * 13) % FAMILY_NAMES.length]!,
    given,
    middle,
    birthDate: born.toISOString().slice(0, 10),
    gender: female ? 'female' : 'male',
    street: `${100 + (index % 900)} ${STREETS[index % STREETS.length]} St`,
    city,
    state,
    zip: `${zip}${pad(index % 100)}`,
    phone: `(312)555-${pad(index % 10_000, 4)}`,
  };
}

/** The PID segment of a patient (PID-3 MRN, PID-5 name, PID-7, PID-8, PID-11, PID-13). */
function pid(p: PatientCase): string {
  const birth = p.birthDate.replaceAll('-', '');
  return `PID|1||${p.mrn}^^^GHH^MR||${p.family.toUpperCase()}^${p.given}^${p.middle[0]}^^^^L||${birth}|${p.gender === 'female' ? 'F' : 'M'}|||${p.street}^^${p.city}^${p.state}^${p.zip}^USA^H||${p.phone}^PRN^PH`;
}

function msh(type: string, c: CaseBase, sender: string): string {
  return `MSH|^~\\&|${sender}|GOOD HEALTH HOSPITAL|CAREGRAPH|CLINIC|${hl7Time(c.sentAt)}||${type}|${c.controlId}|P|2.5.1`;
}

/** The HL7 text of a case. */
export function renderMessage(c: MessageCase): string {
  if (c.kind === 'ORU^R01') {
    const segments = [
      msh('ORU^R01^ORU_R01', c, 'LAB'),
      pid(c.patient),
      ...(c.visitNumber ? [`PV1|1|I|||||||||||||||||${c.visitNumber}`] : []),
      `ORC|RE|${c.placerOrder}^EPIC|${c.fillerOrder}^LAB`,
      `OBR|1|${c.placerOrder}^EPIC|${c.fillerOrder}^LAB|24323-8^Comprehensive metabolic panel^LN|||${hl7Time(c.results[0]!.effectiveAt)}|||||||||||||||${hl7Time(c.sentAt)}|||F`,
      ...c.results.map(
        (r, i) =>
          `OBX|${i + 1}|NM|${r.code.code}^${r.code.display}^LN||${r.value}|${r.code.unit}^^UCUM|${r.code.low}-${r.code.high}|${r.flag}|||F|||${hl7Time(r.effectiveAt)}`,
      ),
    ];
    return segments.join('\r');
  }
  const trigger = c.kind.slice(4);
  const a = c.attending;
  return [
    msh(`ADT^${trigger}^ADT_A01`, c, 'ADT1'),
    `EVN|${trigger}|${hl7Time(c.sentAt)}`,
    pid(c.patient),
    `NK1|1|${c.nextOfKin.family.toUpperCase()}^${c.nextOfKin.given}|SPO^Spouse^HL70063||${c.nextOfKin.phone}`,
    `PV1|1|I|${c.ward}^${c.room}^${c.bed}^GHH||||${a.id}^${a.family.toUpperCase()}^${a.given}^^^DR^MD|||MED|||||||||${c.visitNumber}^^^GHH^VN|||||||||||||||||||||||||${hl7Time(c.admittedAt)}`,
  ].join('\r');
}

/**
 * A deterministic stream of messages. Patients are drawn uniformly from `patients`; an ADT is
 * an A01 (a new visit) for a patient with no open visit or half of the time, else an A08 of the
 * latest visit with a changed phone number; an ORU carries 3–8 laboratory results.
 */
export class MessageStream {
  private readonly random: () => number;
  private readonly patients: PatientCase[];
  private readonly visits: number[];
  private sequence = 0;

  constructor(private readonly options: MessageStreamOptions) {
    this.random = prng(options.seed);
    const demographics = prng(options.seed ^ 0x9e3779b9);
    this.patients = Array.from({ length: options.patients }, (_, i) => patientOf(i, demographics));
    this.visits = new Array<number>(options.patients).fill(0);
  }

  /** Messages generated so far. */
  get count(): number {
    return this.sequence;
  }

  /**
   * The primer: one ADT^A01 per attending physician (patients 0…39), sent one at a time before
   * the load, so the senders' practitioners exist (as after a feed's first hours) and concurrent
   * first sightings of one attending do not race (see the README: that race is a known bug).
   */
  primer(): GeneratedMessage[] {
    return ATTENDINGS.map((_, i) => {
      const c = this.nextCase(i % this.options.patients, true);
      c.controlId = `PRIME${pad(i, 5)}`;
      return { case: c, text: renderMessage(c) };
    });
  }

  /** The next case (its text with `renderMessage`). */
  nextCase(patientIndex?: number, admit?: boolean): MessageCase {
    const seq = this.sequence++;
    const r = this.random;
    const index = patientIndex ?? Math.floor(r() * this.options.patients);
    const patient = this.patients[index]!;
    const sentAt = new Date(BASE_TIME + seq * 1_000).toISOString();
    const controlId = `CG${pad(seq, 10)}`;
    if (admit || r() < this.options.adtShare) {
      admit ||= this.visits[index] === 0 || r() < 0.5;
      if (admit) this.visits[index]! += 1;
      else patient.phone = `(312)555-${pad(Math.floor(r() * 10_000), 4)}`;
      const visit = this.visits[index]!;
      const nok = this.patients[(index + 1) % this.patients.length]!;
      return {
        kind: admit ? 'ADT^A01' : 'ADT^A08',
        controlId,
        patient: { ...patient },
        sentAt,
        visitNumber: `V${patient.mrn.slice(3)}-${visit}`,
        admittedAt: new Date(BASE_TIME + (index * 97 + visit) * 60_000).toISOString(),
        ward: WARDS[index % WARDS.length]!,
        room: String(100 + (index % 60)),
        bed: index % 2 ? 'B' : 'A',
        attending: ATTENDINGS[index % ATTENDINGS.length]!,
        nextOfKin: { family: patient.family, given: nok.given, phone: nok.phone },
      };
    }
    const count = 3 + Math.floor(r() * 6);
    const first = Math.floor(r() * LABS.length);
    const results: ResultCase[] = Array.from({ length: count }, (_, k) => {
      const code = LABS[(first + k) % LABS.length]!;
      const raw = code.mean + (r() - 0.5) * 2 * code.spread;
      const value = Math.round(Math.max(raw, 0.1) * 10) / 10;
      const flag = value > code.high ? 'H' : value < code.low ? 'L' : 'N';
      return {
        code,
        value,
        flag,
        effectiveAt: new Date(BASE_TIME + seq * 1_000 - 3_600_000).toISOString(),
      };
    });
    return {
      kind: 'ORU^R01',
      controlId,
      patient: { ...patient },
      sentAt,
      visitNumber: this.visits[index]
        ? `V${patient.mrn.slice(3)}-${this.visits[index]}`
        : undefined,
      placerOrder: `PLC${seq}`,
      fillerOrder: `FIL${seq}`,
      results,
    };
  }

  /** The next message, case and text. */
  next(): GeneratedMessage {
    const c = this.nextCase();
    return { case: c, text: renderMessage(c) };
  }
}
