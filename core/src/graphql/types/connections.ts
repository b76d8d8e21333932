import {
  AllergyIntolerance,
  Appointment,
  AuditEvent,
  BreakGlassSession,
  CarePlan,
  Communication,
  Condition,
  Consent,
  Coverage,
  Encounter,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Practitioner,
  Task,
} from '@caregraph/schema';
import { connectionOf } from './connection.js';

/** Relay connection types of every list that can grow. */
export const PatientConnection = connectionOf(Patient);
export const PractitionerConnection = connectionOf(Practitioner);
export const AppointmentConnection = connectionOf(Appointment);
export const EncounterConnection = connectionOf(Encounter);
export const ObservationConnection = connectionOf(Observation);
export const ConditionConnection = connectionOf(Condition);
export const MedicationStatementConnection = connectionOf(MedicationStatement);
export const MedicationRequestConnection = connectionOf(MedicationRequest);
export const AllergyIntoleranceConnection = connectionOf(AllergyIntolerance);
export const ImmunizationConnection = connectionOf(Immunization);
export const CoverageConnection = connectionOf(Coverage);
export const CarePlanConnection = connectionOf(CarePlan);
export const TaskConnection = connectionOf(Task);
export const CommunicationConnection = connectionOf(Communication);
export const ConsentConnection = connectionOf(Consent);
export const AuditEventConnection = connectionOf(AuditEvent);
export const BreakGlassSessionConnection = connectionOf(BreakGlassSession);
