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
  AppointmentStatus,
  ConditionClinicalStatus,
  ContactPointSystem,
  ContactPointUse,
  EncounterClass,
  EncounterStatus,
  ImmunizationStatus,
  MedicationRequestStatus,
  ObservationCategory,
  ObservationStatus,
  VerificationStatus,
} from '@caregraph/schema';

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
  /** Absent for A28/A31 (person only) and when the message has no PV1. */
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

/** A device named by OBX-18 (EI): `id^namespace^universalId^type`. */
export interface DeviceRef {
  id: string;
  /** The identifier system rule applied to EI-2..EI-4, e.g. `urn:hl7v2:EUI-64`. */
  system?: string;
}

/** One result (OBX), like `Observation`. */
export interface ObservationRecord {
  /** OBX-1. */
  setId?: string;
  /** OBX-4 (PCD-01: the MDS.VMD.channel.metric hierarchy). */
  subId?: string;
  status: ObservationStatus;
  /** OBX-11 as sent (table 0085), or OBR-25 when OBX-11 was empty. */
  statusCode: string;
  category: ObservationCategory;
  /** OBX-3: the LOINC coding when the sender gave one (primary or alternate), else the first. */
  code: CodedConceptRecord;
  /** OBX-2. */
  valueType?: string;
  /** NM, and SN without a comparator or range. */
  valueQuantity?: number;
  /** OBX-6 (UCUM when the sender uses it). */
  unit?: string;
  /** ST/TX/FT text (repetitions joined by new lines), SN with a comparator (`<5`, `1:128`), DT/TS as ISO. */
  valueString?: string;
  /** CE/CWE/CNE. */
  valueCode?: CodedConceptRecord;
  referenceRangeLow?: number;
  referenceRangeHigh?: number;
  /** OBX-7 as sent. */
  referenceRangeText?: string;
  /** OBX-8 first flag (v3 ObservationInterpretation: N, L, H, LL, HH, A, AA…). */
  interpretation?: string;
  /** Every OBX-8 flag. */
  abnormalFlags: string[];
  /** An abnormal flag other than N, or a number outside the reference range. */
  outOfRange: boolean;
  /** OBX-14, else OBR-7, else MSH-7. */
  effectiveAt: Date;
  /** OBR-22 (results reported). */
  issuedAt?: Date;
  /** NTE segments after this OBX, one line each. */
  note?: string;
  /** OBX-18, or the nearest device above in a PCD-01 hierarchy. */
  device?: DeviceRef;
}

/** One order and its results (OBR + OBX + NTE). */
export interface ResultOrderRecord {
  /** OBR-2.1 (or ORC-2.1). */
  placerOrderNumber?: string;
  /** OBR-3.1 (or ORC-3.1). */
  fillerOrderNumber?: string;
  /** OBR-4. */
  serviceCode: CodedConceptRecord;
  /** OBR-25 mapped (table 0123). */
  status?: ObservationStatus;
  /** OBR-25 as sent. */
  statusCode?: string;
  /** OBR-7. */
  observedAt?: Date;
  /** OBR-22. */
  issuedAt?: Date;
  /** OBR-16. */
  orderingProvider?: PractitionerRef;
  /** NTE segments right after the OBR. */
  note?: string;
  observations: ObservationRecord[];
}

/** The results of one patient (one PATIENT_RESULT group). */
export interface PatientResultsRecord {
  patient: PatientRecord;
  /** PV1-19.1, when the results belong to a visit. */
  visitNumber?: string;
  orders: ResultOrderRecord[];
}

/** ORU^R01 lab (and other) results. */
export interface ResultsRecord {
  kind: 'results';
  event: 'R01';
  mappingVersion: 'oru-1';
  results: PatientResultsRecord[];
}

/**
 * ORU^R01 from a device gateway (IHE PCD-01). Observations have category `device`, a `device`,
 * and `outOfRange` for DeviceAlert. Observations without a value (the MDS/VMD/channel rows of the
 * containment tree) are left out; their device ids pass down to the metrics below them.
 */
export interface DeviceResultsRecord {
  kind: 'device-results';
  event: 'R01';
  mappingVersion: 'pcd-1';
  results: PatientResultsRecord[];
}

/** What an SIU event does to the appointment. */
export type AppointmentAction = 'book' | 'reschedule' | 'modify' | 'cancel' | 'delete' | 'no-show';

/** The SIU trigger events that map to {@link AppointmentRecord}. */
export type SiuEvent = 'S12' | 'S13' | 'S14' | 'S15' | 'S17' | 'S26';

/** A practitioner taking part in an appointment (AIP). */
export interface AppointmentPractitionerRecord {
  practitioner: PractitionerRef;
  /** AIP-4 resource role (text, else code). */
  role?: string;
}

/** The appointment of an SIU message, like `Appointment`. */
export interface AppointmentDetailsRecord {
  /** SCH-1.1. */
  placerAppointmentId?: string;
  /** SCH-2.1. */
  fillerAppointmentId?: string;
  status: AppointmentStatus;
  /** SCH-25 as sent (table 0278). */
  fillerStatusCode?: string;
  start: Date;
  end: Date;
  /** AIS-3 (service), else SCH-8 (appointment type). */
  serviceType?: CodedConceptRecord;
  /** SCH-7 appointment reason (text, else code). */
  description?: string;
  /** First AIL-3 as `point^room^bed^facility`. */
  location?: string;
  /** First AIP-3: the practitioner whose time is held. */
  practitioner?: PractitionerRef;
  practitioners: AppointmentPractitionerRecord[];
  /** SCH-6 event reason on S15/S17 (text, else code). */
  cancellationReason?: string;
  /** EVN-6/EVN-2/MSH-7 on S15/S17. */
  cancelledAt?: Date;
}

/** SIU S12…S26: an appointment booked, rescheduled, modified, cancelled, deleted, not attended. */
export interface AppointmentRecord {
  kind: 'appointment';
  event: SiuEvent;
  mappingVersion: 'siu-1';
  action: AppointmentAction;
  /** Required on S12; later events may identify the appointment by its ids only. */
  patient?: PatientRecord;
  appointment: AppointmentDetailsRecord;
}

/** One vaccine given or recorded (RXA + RXR), like `Immunization`. */
export interface ImmunizationRecord {
  /** RXA-21 (table 0206: A add, U update, D delete); `add` when empty. */
  action: 'add' | 'update' | 'delete';
  /** RXA-5, preferring CVX. */
  vaccineCode: CodedConceptRecord;
  status: ImmunizationStatus;
  /** RXA-20 as sent (CP, RE, NA, PA). */
  completionStatus?: string;
  /** RXA-3. */
  occurrenceAt: Date;
  /** RXA-15 (first repetition). */
  lotNumber?: string;
  /** RXR-2 (text, else code). */
  site?: string;
  /** RXR-1 (text, else code). */
  route?: string;
  /** RXA-6 (999 = unknown is left out). Not held by `Immunization` today. */
  doseQuantity?: number;
  /** RXA-7. Not held by `Immunization` today. */
  doseUnit?: string;
  /** RXA-17 (MVX). Not held by `Immunization` today. */
  manufacturer?: CodedConceptRecord;
  /** RXA-10. */
  performer?: PractitionerRef;
}

/** VXU^V04: immunizations of one patient. */
export interface ImmunizationsRecord {
  kind: 'immunizations';
  event: 'V04';
  mappingVersion: 'vxu-1';
  patient: PatientRecord;
  immunizations: ImmunizationRecord[];
}

/** A clinical document (TXA + OBX text). CareGraph has no document entity yet. */
export interface DocumentDetailsRecord {
  /** TXA-2 (table 0270: DS discharge summary, PN progress note, HP history and physical…). */
  documentType: CodedConceptRecord;
  /** TXA-12.1: how later messages (T04, T08…) name the document. */
  uniqueDocumentNumber?: string;
  /** TXA-13.1. */
  parentDocumentNumber?: string;
  /** TXA-17 as sent (table 0271: DI, DO, IP, IN, PA, AU, LA). */
  completionStatus?: string;
  /** `final` for AU/LA, `preliminary` otherwise. */
  status: 'preliminary' | 'final';
  /** TXA-18 as sent (table 0272). */
  confidentiality?: string;
  /** TXA-4, else TXA-6. */
  activityAt?: Date;
  /** TXA-9 originator, else TXA-5 primary activity provider. */
  author?: PractitionerRef;
  /** The OBX text values joined by new lines. */
  text: string;
}

/** MDM^T02: a new document with its content. */
export interface DocumentRecord {
  kind: 'document';
  event: 'T02';
  mappingVersion: 'mdm-1';
  patient: PatientRecord;
  visitNumber?: string;
  document: DocumentDetailsRecord;
}

/** One problem (PRB + NTE + OBX), like `Condition`. */
export interface ConditionRecord {
  /** PRB-1 as sent (table 0287: AD, CO, DE, LI, UC, UN, UP). */
  actionCode: string;
  /** PRB-4.1: how later messages name this problem. */
  problemInstanceId?: string;
  /** PRB-3. */
  code: CodedConceptRecord;
  clinicalStatus: ConditionClinicalStatus;
  verificationStatus: VerificationStatus;
  category: 'problem-list-item';
  /** PRB-16 as `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`). */
  onsetDate?: string;
  /** PRB-9 as `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`). */
  abatementDate?: string;
  /** PRB-7, else PRB-2. */
  recordedAt?: Date;
  /** NTE segments after the PRB. */
  note?: string;
  /** OBX segments of the problem's observation group. */
  observations: ObservationRecord[];
}

/** PPR PC1/PC2/PC3: problems added, updated or deleted. */
export interface ProblemsRecord {
  kind: 'problems';
  event: 'PC1' | 'PC2' | 'PC3';
  mappingVersion: 'ppr-1';
  action: 'add' | 'update' | 'delete';
  patient: PatientRecord;
  problems: ConditionRecord[];
}

/** One pharmacy order (ORC + RXE/RXO + RXR), like `MedicationRequest`. */
export interface MedicationRequestRecord {
  /** ORC-1 as sent (table 0119: NW, CA, DC, HD, RL, XO, RP…). */
  orderControl: string;
  /** ORC-5 as sent (table 0038). */
  orderStatus?: string;
  placerOrderNumber?: string;
  fillerOrderNumber?: string;
  /** RXE-2, else RXO-1. */
  medication: CodedConceptRecord;
  status: MedicationRequestStatus;
  intent: 'order';
  /** Built from dose, units, route and frequency, e.g. `500 mg PO Q6H`. */
  dosageText?: string;
  /** RXE-3 (RXO-2). */
  dose?: number;
  /** RXE-5 (RXO-4). */
  doseUnit?: string;
  /** RXR-1 (text, else code). */
  route?: string;
  /** TQ1-3, else RXE-1.2 / ORC-7.2 (e.g. `Q6H`, `BID`). */
  frequency?: string;
  /** RXE-10 (RXO-11) dispense amount. */
  quantity?: number;
  /** RXE-11 (RXO-12). */
  quantityUnit?: string;
  /** RXE-12 (RXO-13). */
  refillsAllowed?: number;
  /** ORC-9. */
  authoredOn?: Date;
  /** ORC-12. */
  requester?: PractitionerRef;
  /** NTE segments of the order. */
  note?: string;
}

/** RDE^O11 (and O01): pharmacy orders of one patient. */
export interface MedicationOrdersRecord {
  kind: 'medication-orders';
  event: 'O11' | 'O01';
  mappingVersion: 'rde-1';
  patient: PatientRecord;
  orders: MedicationRequestRecord[];
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
