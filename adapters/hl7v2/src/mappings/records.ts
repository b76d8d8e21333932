/**
 * What the mappings produce: plain records shaped like the CareGraph model (schema/src/entities),
 * with no database ids. The pipeline applies them (patients through core services, then the
 * encounters, observations… of that patient). Instants are `Date`s, calendar dates `YYYY-MM-DD`
 * strings, codes {@link CodedConceptRecord}s.
 *
 * Patient demographics keep the HL7 distinction between an empty field and `""`:
 * a value = set it, `null` = the sender cleared it (`""`), `undefined` = the sender said nothing
 * (leave the stored value as it is).
 */
import type {
  AdministrativeGender,
  ContactPointSystem,
  ContactPointUse,
  EncounterClass,
  EncounterStatus,
} from '@caregraph/schema';
import type {
  AppointmentRecord,
  DeviceResultsRecord,
  DocumentRecord,
  ImmunizationsRecord,
  MedicationOrdersRecord,
  ProblemsRecord,
  ResultsRecord,
} from './clinical-records.js';

export type * from './clinical-records.js';

/** A code from a terminology, like the `CodedConcept` embeddable. `system` is a URI. */
export interface CodedConceptRecord {
  system?: string;
  code?: string;
  display?: string;
}

/** A patient identifier, like `PatientIdentifier` (and `IdentifierInput`). */
export interface PatientIdentifierRecord {
  /** Namespace URI, see "Identifier systems" in the package README. */
  system: string;
  value: string;
  /** HL7 table 0203 type code (MR, SS, PI, AN…), when sent. */
  type?: string;
  /** The assigning authority as sent (CX-4.1, else CX-4.2). */
  assigner?: string;
  /** FHIR identifier use: `old` for the MRG identifiers of a merge, otherwise unset. */
  use?: string;
}

/** A person's name, like the `HumanName` embeddable. */
export interface HumanNameRecord {
  /** usual | official | temp | nickname | anonymous | old | maiden (from XPN-7). */
  use?: string;
  family?: string;
  /** Given name first, then middle names (XPN-2, XPN-3). */
  given: string[];
  prefix: string[];
  /** Suffix (XPN-4) and degree (XPN-6). */
  suffix: string[];
}

/** A phone number or e-mail address, like the `ContactPoint` embeddable. */
export interface ContactPointRecord {
  system: ContactPointSystem;
  value: string;
  use?: ContactPointUse;
}

/** A postal address, like the `Address` embeddable. */
export interface AddressRecord {
  /** home | work | temp | old | billing (from XAD-7). */
  use?: string;
  line: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

/**
 * A patient as the message describes it (PID). `identifiers` are always given (PID-3, at least
 * one); every other field follows the set / `null` clear / `undefined` leave convention.
 */
export interface PatientRecord {
  identifiers: PatientIdentifierRecord[];
  /** PID-5, every repetition. */
  names?: HumanNameRecord[] | null;
  /** PID-8. */
  gender?: AdministrativeGender | null;
  /** PID-7 as `YYYY-MM-DD`; a birth date sent to the year or month only is left undefined. */
  birthDate?: string | null;
  /** PID-30 (or true when PID-29 is given). */
  deceased?: boolean | null;
  /** PID-29. */
  deceasedAt?: Date | null;
  /** PID-13 (home) and PID-14 (work) together; the list replaces the stored one. */
  telecom?: ContactPointRecord[] | null;
  /** PID-11, every repetition. */
  address?: AddressRecord[] | null;
  /** PID-15 as a BCP-47 tag (`es`, `en-US`); a code that is not one is left undefined. */
  preferredLanguage?: string | null;
  /** PID-16 (table 0002). Not held by `Patient` today: the pipeline may ignore it. */
  maritalStatus?: CodedConceptRecord | null;
}

/**
 * A practitioner named by an XCN field (PD1-4, PV1-7, OBR-16, AIP-3…): enough to find or create a
 * `Practitioner` (by NPI, else by the sender's id, else by name).
 */
export interface PractitionerRef {
  /** XCN-1, the sender's id for the practitioner. */
  id?: string;
  /** Namespace of `id` (the identifier system rule applied to XCN-9 / XCN-13). */
  idSystem?: string;
  /** XCN-1 when XCN-9 or XCN-13 says NPI. */
  npi?: string;
  name?: HumanNameRecord;
}

/** A next of kin or contact (NK1), like `RelatedPerson`. */
export interface RelatedPersonRecord {
  /** v3 RoleCode (SPS, MTH, FTH, CHILD, FRND, GUARD, NOK, ECON…), from NK1-3 else NK1-7. */
  relationship: string;
  /** NK1-3 as sent. */
  relationshipCode?: CodedConceptRecord;
  name: HumanNameRecord;
  /** NK1-5 (home) and NK1-6 (work). */
  telecom: ContactPointRecord[];
  address: AddressRecord[];
  periodStart?: Date;
  periodEnd?: Date;
}

/** What an ADT event does to the encounter. */
export type EncounterAction =
  | 'admit' // A01
  | 'transfer' // A02
  | 'discharge' // A03
  | 'register' // A04
  | 'pre-admit' // A05
  | 'change-to-inpatient' // A06
  | 'change-to-outpatient' // A07
  | 'update' // A08
  | 'cancel-admit' // A11
  | 'cancel-transfer' // A12
  | 'cancel-discharge'; // A13

/** A visit (PV1/PV2), like `Encounter`, plus the event's meaning. */
export interface EncounterRecord {
  action: EncounterAction;
  /** PV1-19.1: how later messages find this encounter. */
  visitNumber?: string;
  status: EncounterStatus;
  class: EncounterClass;
  /** PV1-10 hospital service (table 0069). */
  type?: CodedConceptRecord;
  /** PV1-44, else the event time (EVN-6, EVN-2, MSH-7): see `periodStartKnown`. */
  periodStart: Date;
  /** false when PV1-44 was empty and `periodStart` is the event time: do not overwrite. */
  periodStartKnown: boolean;
  /** PV1-45; `null` on a cancelled discharge (A13) or when the sender sent `""`. */
  periodEnd?: Date | null;
  /** PV1-3 as `point^room^bed^facility` (empty trailing parts dropped), e.g. `4W^401^B`. */
  location?: string;
  /** PV1-6, same form. Not held by `Encounter`: for transfers and their cancellation. */
  priorLocation?: string;
  /** PV1-7. */
  attending?: PractitionerRef;
  /** PV2-3 admit reason (text, else code). */
  reason?: string;
}

/** The ADT trigger events that map to {@link AdtRecord}. */
export type AdtEvent =
  | 'A01'
  | 'A02'
  | 'A03'
  | 'A04'
  | 'A05'
  | 'A06'
  | 'A07'
  | 'A08'
  | 'A11'
  | 'A12'
  | 'A13'
  | 'A28'
  | 'A31';

/** ADT A01…A31: a patient, maybe a visit, next of kin and the primary care provider. */
export interface AdtRecord {
  kind: 'adt';
  event: AdtEvent;
  mappingVersion: 'adt-1';
  /** EVN-6 (event occurred), else EVN-2, else MSH-7. */
  occurredAt?: Date;
  patient: PatientRecord;
  /** Absent for A28/A31 (person only) and for an A08 without a visit (no PV1, or class N without PV1-19). */
  encounter?: EncounterRecord;
  /** NK1 segments that name a person (organisation-only contacts are skipped). */
  relatedPersons: RelatedPersonRecord[];
  /**
   * PD1-4, else the ROL segment with role PCP. A care-team member with role
   * {@link PRIMARY_CARE_ROLE}.
   */
  primaryCareProvider?: PractitionerRef;
}

/** One PID/MRG pair of an A40. */
export interface MergePair {
  /** PID-3: the surviving patient. */
  survivor: PatientIdentifierRecord[];
  /** MRG-1: the patient merged into the survivor (`use: 'old'`). */
  merged: PatientIdentifierRecord[];
  /** The survivor's demographics as the message gives them. */
  patient: PatientRecord;
}

/** ADT A40: merge patient (patient identifier list). */
export interface MergeRecord extends MergePair {
  kind: 'merge';
  event: 'A40';
  mappingVersion: 'adt-1';
  /** Further PID/MRG pairs of the same message (usually none). */
  additionalPairs: MergePair[];
}

/** A message the adapter stores and acknowledges but does not apply ("stored, not mapped"). */
export interface NotMappedRecord {
  kind: 'not-mapped';
  /** `ORM^O01`, `ACK`… */
  messageType: string;
  reason: string;
}

/** Every record {@link mapMessage} returns, discriminated by `kind`. */
export type MappedRecord =
  | AdtRecord
  | MergeRecord
  | ResultsRecord
  | DeviceResultsRecord
  | AppointmentRecord
  | ImmunizationsRecord
  | DocumentRecord
  | ProblemsRecord
  | MedicationOrdersRecord
  | NotMappedRecord;

/** The mapping versions, stored with each applied message. */
export type MappingVersion = Exclude<MappedRecord, NotMappedRecord>['mappingVersion'];

/** The care-team role of a primary care provider (SNOMED CT 446050000). */
export const PRIMARY_CARE_ROLE: Readonly<Required<CodedConceptRecord>> = Object.freeze({
  system: 'http://snomed.info/sct',
  code: '446050000',
  display: 'Primary care physician',
});
