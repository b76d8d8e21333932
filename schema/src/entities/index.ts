import { AllergyIntolerance } from './allergy-intolerance.js';
import { Appointment } from './appointment.js';
import { AuditChainHead } from './audit-chain-head.js';
import { AuditEvent } from './audit-event.js';
import { BreakGlassSession } from './break-glass-session.js';
import { CarePlan } from './care-plan.js';
import { CarePlanActivity } from './care-plan-activity.js';
import { CarePlanGoal } from './care-plan-goal.js';
import { CareTeam } from './care-team.js';
import { CareTeamMember } from './care-team-member.js';
import { CareTeamPatient } from './care-team-patient.js';
import { Communication } from './communication.js';
import { Condition } from './condition.js';
import { Consent } from './consent.js';
import { Coverage } from './coverage.js';
import { Encounter } from './encounter.js';
import { Immunization } from './immunization.js';
import { LegalHold } from './legal-hold.js';
import { MedicationRequest } from './medication-request.js';
import { MedicationStatement } from './medication-statement.js';
import { Observation } from './observation.js';
import { OutboxEvent, OutboxHead } from './outbox-event.js';
import { Patient } from './patient.js';
import { PatientDataExport } from './patient-data-export.js';
import { PatientIdentifier } from './patient-identifier.js';
import { PluginEventCursor } from './plugin-event-cursor.js';
import { Practitioner } from './practitioner.js';
import { Provenance } from './provenance.js';
import { RelatedPerson } from './related-person.js';
import { Task } from './task.js';
import { Tenant } from './tenant.js';
import { TenantKey } from './tenant-key.js';
import { User } from './user.js';

export type { TenantKeyPurpose, TenantKeyStatus } from './tenant-key.js';

export {
  AllergyIntolerance,
  Appointment,
  AuditChainHead,
  AuditEvent,
  BreakGlassSession,
  CarePlan,
  CarePlanActivity,
  CarePlanGoal,
  CareTeam,
  CareTeamMember,
  CareTeamPatient,
  Communication,
  Condition,
  Consent,
  Coverage,
  Encounter,
  Immunization,
  LegalHold,
  MedicationRequest,
  MedicationStatement,
  Observation,
  OutboxEvent,
  OutboxHead,
  Patient,
  PatientDataExport,
  PatientIdentifier,
  PluginEventCursor,
  Practitioner,
  Provenance,
  RelatedPerson,
  Task,
  Tenant,
  TenantKey,
  User,
};

/** Every entity of the core model, for `MikroORM.init({ entities })`. */
export const CORE_ENTITIES = [
  Tenant,
  Patient,
  PatientIdentifier,
  RelatedPerson,
  Practitioner,
  User,
  CareTeam,
  CareTeamMember,
  CareTeamPatient,
  Encounter,
  Appointment,
  Observation,
  Condition,
  MedicationStatement,
  MedicationRequest,
  AllergyIntolerance,
  Immunization,
  Coverage,
  CarePlan,
  CarePlanGoal,
  CarePlanActivity,
  Task,
  Communication,
  Consent,
  AuditEvent,
  AuditChainHead,
  OutboxEvent,
  OutboxHead,
  PluginEventCursor,
  Provenance,
  TenantKey,
  LegalHold,
  PatientDataExport,
  BreakGlassSession,
] as const;
