/**
 * The clinical records of the mappings: results (ORU, PCD-01), appointments (SIU), immunizations
 * (VXU), documents (MDM), problems (PPR) and medication orders (RDE). Re-exported by
 * `records.ts`; same conventions.
 */
import type {
  AppointmentStatus,
  ConditionClinicalStatus,
  ImmunizationStatus,
  MedicationRequestStatus,
  ObservationCategory,
  ObservationStatus,
  VerificationStatus,
} from '@caregraph/schema';
import type { CodedConceptRecord, PatientRecord, PractitionerRef } from './records.js';

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
  /** AIP-4 resource role (code, else text), e.g. `ATND`. */
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
  /** The OBX text values (TX, FT, ST) joined by new lines; ED/RP attachments are left out. */
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
