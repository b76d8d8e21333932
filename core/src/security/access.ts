import { CareEventType, Observation, type CareEventMessage } from '@caregraph/schema';
import type { Loaders } from '../context/loaders.js';
import type { DataCategory } from './access-matrix.js';
import { reaches } from './access-policy.js';
import type { PatientAccess } from './patient-access.js';

/** Events for privacy officers only (the privacy feed), never for care teams. */
export const PRIVACY_EVENT_TYPES: readonly CareEventType[] = [CareEventType.BREAK_GLASS_STARTED];

/** The data category an event discloses: a receiver must be allowed to read it. */
export const EVENT_CATEGORIES: Readonly<Record<CareEventType, DataCategory>> = {
  [CareEventType.PATIENT_REGISTERED]: 'demographics',
  [CareEventType.PATIENT_UPDATED]: 'demographics',
  [CareEventType.PATIENTS_MERGED]: 'demographics',
  [CareEventType.PATIENT_ADMITTED]: 'clinical',
  [CareEventType.PATIENT_DISCHARGED]: 'clinical',
  [CareEventType.LAB_RESULT_AVAILABLE]: 'clinical',
  [CareEventType.LAB_RESULT_RELEASED]: 'clinical',
  [CareEventType.APPOINTMENT_BOOKED]: 'scheduling',
  [CareEventType.APPOINTMENT_RESCHEDULED]: 'scheduling',
  [CareEventType.APPOINTMENT_CANCELLED]: 'scheduling',
  [CareEventType.APPOINTMENT_NO_SHOW]: 'scheduling',
  [CareEventType.APPOINTMENT_FULFILLED]: 'scheduling',
  [CareEventType.TASK_ASSIGNED]: 'clinical',
  [CareEventType.TASK_COMPLETED]: 'clinical',
  [CareEventType.CARE_PLAN_UPDATED]: 'clinical',
  [CareEventType.DEVICE_ALERT]: 'clinical',
  [CareEventType.COMMUNICATION_STATUS_CHANGED]: 'communications',
  [CareEventType.CONSENT_CHANGED]: 'careRelations',
  [CareEventType.CARE_TEAM_CHANGED]: 'careRelations',
  [CareEventType.BREAK_GLASS_STARTED]: 'audit',
  // Made by the subscription itself for its own receiver, never authorised as an event.
  [CareEventType.RESYNC]: 'audit',
};

/**
 * Subjects that can carry sensitivity labels: an event about one goes only to receivers who
 * would see the record in the patient's lists (`PatientAccess.withheldLabels`, the same
 * decision that filters `Patient.observations`).
 */
const LABELLED_SUBJECTS = { Observation } as const;

/** Whether the event's subject carries a label withheld from the receiver (or is gone). */
async function subjectWithheld(
  access: PatientAccess,
  event: CareEventMessage,
  loaders: Loaders,
): Promise<boolean> {
  const entity = LABELLED_SUBJECTS[event.subject.type as keyof typeof LABELLED_SUBJECTS];
  if (!entity) return false;
  const record = await loaders.byId(entity).load(event.subject.id);
  if (!record) return true;
  const withheld = await access.withheldLabels(event.patientId);
  return record.securityLabels.some((label) => withheld.includes(label));
}

/**
 * Whether an event may go to a receiver on the care-team feed: the receiver has a personal
 * relationship to the patient (care team, self, proxy; break-glass does not subscribe anyone
 * to a patient), may read the category the event discloses, and may see its subject.
 */
export async function mayReceiveOnCareTeamFeed(
  access: PatientAccess,
  event: CareEventMessage,
  loaders: Loaders,
): Promise<boolean> {
  if (PRIVACY_EVENT_TYPES.includes(event.type)) return false;
  const relationship = await access.personalRelationship(event.patientId);
  if (!relationship.careTeam && !relationship.self && !relationship.proxy) return false;
  return mayReceivePatientEvent(access, event, loaders);
}

/** Whether an event about a patient the receiver follows may be delivered to them. */
export async function mayReceivePatientEvent(
  access: PatientAccess,
  event: CareEventMessage,
  loaders: Loaders,
): Promise<boolean> {
  if (PRIVACY_EVENT_TYPES.includes(event.type)) return false;
  if (!(await access.mayRead(event.patientId, EVENT_CATEGORIES[event.type]))) return false;
  return !(await subjectWithheld(access, event, loaders));
}

/** Whether an event goes to a receiver on the privacy feed (privacy events, audit readers). */
export async function mayReceiveOnPrivacyFeed(
  access: PatientAccess,
  event: CareEventMessage,
): Promise<boolean> {
  if (!PRIVACY_EVENT_TYPES.includes(event.type)) return false;
  return reaches(access.actor, 'audit', 'read', access.purpose, 'tenant');
}
