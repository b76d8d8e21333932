import { registerEnumType } from 'type-graphql';

/** FHIR Observation.status. */
export enum ObservationStatus {
  REGISTERED = 'registered',
  PRELIMINARY = 'preliminary',
  FINAL = 'final',
  AMENDED = 'amended',
  CORRECTED = 'corrected',
  CANCELLED = 'cancelled',
  ENTERED_IN_ERROR = 'entered-in-error',
}
registerEnumType(ObservationStatus, { name: 'ObservationStatus' });

/** FHIR Observation.category (observation-category value set). */
export enum ObservationCategory {
  LABORATORY = 'laboratory',
  VITAL_SIGNS = 'vital-signs',
  DEVICE = 'device',
  IMAGING = 'imaging',
  SURVEY = 'survey',
  SOCIAL_HISTORY = 'social-history',
}
registerEnumType(ObservationCategory, { name: 'ObservationCategory' });

/** FHIR Condition.clinicalStatus. */
export enum ConditionClinicalStatus {
  ACTIVE = 'active',
  RECURRENCE = 'recurrence',
  RELAPSE = 'relapse',
  INACTIVE = 'inactive',
  REMISSION = 'remission',
  RESOLVED = 'resolved',
}
registerEnumType(ConditionClinicalStatus, { name: 'ConditionClinicalStatus' });

/** FHIR verification status (Condition, AllergyIntolerance). */
export enum VerificationStatus {
  UNCONFIRMED = 'unconfirmed',
  PROVISIONAL = 'provisional',
  DIFFERENTIAL = 'differential',
  CONFIRMED = 'confirmed',
  REFUTED = 'refuted',
  ENTERED_IN_ERROR = 'entered-in-error',
}
registerEnumType(VerificationStatus, { name: 'VerificationStatus' });

/** FHIR MedicationStatement.status. */
export enum MedicationStatementStatus {
  ACTIVE = 'active',
  COMPLETED = 'completed',
  ENTERED_IN_ERROR = 'entered-in-error',
  INTENDED = 'intended',
  STOPPED = 'stopped',
  ON_HOLD = 'on-hold',
  NOT_TAKEN = 'not-taken',
}
registerEnumType(MedicationStatementStatus, { name: 'MedicationStatementStatus' });

/** FHIR MedicationRequest.status. */
export enum MedicationRequestStatus {
  ACTIVE = 'active',
  ON_HOLD = 'on-hold',
  CANCELLED = 'cancelled',
  COMPLETED = 'completed',
  ENTERED_IN_ERROR = 'entered-in-error',
  STOPPED = 'stopped',
  DRAFT = 'draft',
}
registerEnumType(MedicationRequestStatus, { name: 'MedicationRequestStatus' });

/** FHIR AllergyIntolerance.clinicalStatus. */
export enum AllergyClinicalStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
  RESOLVED = 'resolved',
}
registerEnumType(AllergyClinicalStatus, { name: 'AllergyClinicalStatus' });

/** FHIR AllergyIntolerance.criticality. */
export enum AllergyCriticality {
  LOW = 'low',
  HIGH = 'high',
  UNABLE_TO_ASSESS = 'unable-to-assess',
}
registerEnumType(AllergyCriticality, { name: 'AllergyCriticality' });

/** FHIR Immunization.status. */
export enum ImmunizationStatus {
  COMPLETED = 'completed',
  ENTERED_IN_ERROR = 'entered-in-error',
  NOT_DONE = 'not-done',
}
registerEnumType(ImmunizationStatus, { name: 'ImmunizationStatus' });

/** FHIR Encounter.status. */
export enum EncounterStatus {
  PLANNED = 'planned',
  ARRIVED = 'arrived',
  IN_PROGRESS = 'in-progress',
  ON_LEAVE = 'onleave',
  FINISHED = 'finished',
  CANCELLED = 'cancelled',
  ENTERED_IN_ERROR = 'entered-in-error',
}
registerEnumType(EncounterStatus, { name: 'EncounterStatus' });

/** FHIR Encounter.class (v3 ActCode subset). */
export enum EncounterClass {
  AMBULATORY = 'AMB',
  INPATIENT = 'IMP',
  EMERGENCY = 'EMER',
  VIRTUAL = 'VR',
  HOME_HEALTH = 'HH',
  OBSERVATION = 'OBSENC',
}
registerEnumType(EncounterClass, { name: 'EncounterClass' });

/** FHIR Coverage.status (financial resource status). */
export enum CoverageStatus {
  ACTIVE = 'active',
  CANCELLED = 'cancelled',
  DRAFT = 'draft',
  ENTERED_IN_ERROR = 'entered-in-error',
}
registerEnumType(CoverageStatus, { name: 'CoverageStatus' });
