import { CareEventType, type CareEventMessage } from '@caregraph/schema';
import type { Actor } from '../auth/actor.js';
import type { DataCategory } from './access-matrix.js';
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
  [CareEventType.APPOINTMENT_BOOKED]: 'scheduling',
  [CareEventType.APPOINTMENT_RESCHEDULED]: 'scheduling',
  [CareEventType.APPOINTMENT_CANCELLED]: 'scheduling',
  [CareEventType.APPOINTMENT_NO_SHOW]: 'scheduling',
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
 * Whether an event may go to a receiver on the care-team feed: the receiver has a personal
 * relationship to the patient (care team, self, proxy; break-glass does not subscribe anyone
 * to a patient) and may read the category the event discloses.
 */
export async function mayReceiveOnCareTeamFeed(
  access: PatientAccess,
  event: CareEventMessage,
): Promise<boolean> {
  if (PRIVACY_EVENT_TYPES.includes(event.type)) return false;
  const relationship = await access.personalRelationship(event.patientId);
  if (!relationship.careTeam && !relationship.self && !relationship.proxy) return false;
  return access.mayRead(event.patientId, EVENT_CATEGORIES[event.type]);
}

/**
 * A cheap first check before `mayReceiveOnCareTeamFeed` (issue 4): staff reach a patient on
 * this feed only through a care team, so the event's one shared lookup of its care teams'
 * practitioners (`careTeamOf`) rules out every other staff subscriber without a statement, an
 * EntityManager or an access check each. False only where `mayReceiveOnCareTeamFeed` would be
 * false; patients and related persons always pass on to it.
 */
export async function mayBeOnCareTeamFeed(
  actor: Actor,
  event: CareEventMessage,
  careTeamOf: (event: CareEventMessage) => Promise<ReadonlySet<string>>,
): Promise<boolean> {
  if (PRIVACY_EVENT_TYPES.includes(event.type)) return false;
  if (actor.patientId || actor.relatedPersonId) return true;
  return !!actor.practitionerId && (await careTeamOf(event)).has(actor.practitionerId);
}

/** Whether an event about a patient the receiver follows may be delivered to them. */
export async function mayReceivePatientEvent(
  access: PatientAccess,
  event: CareEventMessage,
): Promise<boolean> {
  if (PRIVACY_EVENT_TYPES.includes(event.type)) return false;
  return access.mayRead(event.patientId, EVENT_CATEGORIES[event.type]);
}
