import type { EntityManager } from '@mikro-orm/sql';
import {
  Appointment,
  AppointmentStatus,
  BreakGlassSession,
  CareEventType,
  CarePlan,
  CarePlanActivity,
  CarePlanGoal,
  CareTeamMember,
  CareTeamPatient,
  Communication,
  Consent,
  ConsentStatus,
  Encounter,
  EncounterClass,
  EncounterStatus,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  PatientIdentifier,
  Task,
  TaskStatus,
} from '@caregraph/schema';
import { notEndedAt } from '../db/period-filters.js';
import type { CareEventDraft } from '../services/transaction.js';
import { patientEvents } from './patient-events.js';
import { changedAny, touched, type EntityChange } from './unit-of-work-changes.js';

/** Entity types whose changes produce events (the unit of work is watched for these only). */
export const DERIVING_ENTITY_TYPES: ReadonlySet<string> = new Set([
  Appointment.name,
  BreakGlassSession.name,
  CarePlan.name,
  CarePlanActivity.name,
  CarePlanGoal.name,
  CareTeamMember.name,
  CareTeamPatient.name,
  Communication.name,
  Consent.name,
  Encounter.name,
  Observation.name,
  Patient.name,
  PatientIdentifier.name,
  Task.name,
]);

/** Hospital stays: an ambulatory, virtual or home visit starting is not an admission. */
const STAY_CLASSES: readonly EncounterClass[] = [
  EncounterClass.INPATIENT,
  EncounterClass.EMERGENCY,
  EncounterClass.OBSERVATION,
];
/** A result is available when it becomes final, or is amended or corrected afterwards. */
const AVAILABLE_RESULT_STATUSES: readonly ObservationStatus[] = [
  ObservationStatus.FINAL,
  ObservationStatus.AMENDED,
  ObservationStatus.CORRECTED,
];
const BOOKED_ON_CREATE: readonly AppointmentStatus[] = [
  AppointmentStatus.BOOKED,
  AppointmentStatus.PENDING,
  AppointmentStatus.PROPOSED,
];

/** A record of a patient, as the changed entities are. */
interface PatientRecord {
  id: string;
  patient: { id: string };
}

/** An event about a changed patient record (its subject). */
function recordEvent(
  type: CareEventType,
  summary: string,
  subjectType: CareEventDraft['subject']['type'],
  record: PatientRecord,
): CareEventDraft {
  return {
    type,
    patientId: record.patient.id,
    summary,
    subject: { type: subjectType, id: record.id },
  };
}

/** The status a change moved its entity into, or undefined when the status did not change. */
function newStatus(change: EntityChange, status: string): string | undefined {
  if (change.deleted) return undefined;
  if (change.created) return status;
  return change.before.status !== status ? status : undefined;
}

function encounterEvents(change: EntityChange): CareEventDraft[] {
  const encounter = change.entity as Encounter;
  if (!STAY_CLASSES.includes(encounter.class)) return [];
  const status = newStatus(change, encounter.status);
  if (status === EncounterStatus.IN_PROGRESS)
    return [
      recordEvent(CareEventType.PATIENT_ADMITTED, 'Patient admitted', 'Encounter', encounter),
    ];
  if (status === EncounterStatus.FINISHED)
    return [
      recordEvent(CareEventType.PATIENT_DISCHARGED, 'Patient discharged', 'Encounter', encounter),
    ];
  return [];
}

/**
 * LabResultAvailable when a laboratory result becomes final (or is amended or corrected);
 * LabResultReleased when it is created released or `releasedToPatient` turns true.
 */
function observationEvents(change: EntityChange): CareEventDraft[] {
  const observation = change.entity as Observation;
  if (observation.category !== ObservationCategory.LABORATORY || change.deleted) return [];
  const events: CareEventDraft[] = [];
  const status = newStatus(change, observation.status) as ObservationStatus | undefined;
  if (status && AVAILABLE_RESULT_STATUSES.includes(status))
    events.push(
      recordEvent(
        CareEventType.LAB_RESULT_AVAILABLE,
        'Lab result available',
        'Observation',
        observation,
      ),
    );
  const released = change.created
    ? observation.releasedToPatient
    : change.changed.has('releasedToPatient') &&
      observation.releasedToPatient &&
      !change.before.releasedToPatient;
  if (released)
    events.push(
      recordEvent(
        CareEventType.LAB_RESULT_RELEASED,
        'Lab result released to the patient',
        'Observation',
        observation,
      ),
    );
  return events;
}

function appointmentEvents(change: EntityChange): CareEventDraft[] {
  const appointment = change.entity as Appointment;
  const status = newStatus(change, appointment.status);
  const event = (type: CareEventType, summary: string) =>
    recordEvent(type, summary, 'Appointment', appointment);
  if (change.created)
    return BOOKED_ON_CREATE.includes(appointment.status)
      ? [event(CareEventType.APPOINTMENT_BOOKED, 'Appointment booked')]
      : [];
  const events: CareEventDraft[] = [];
  if (status === AppointmentStatus.BOOKED)
    events.push(event(CareEventType.APPOINTMENT_BOOKED, 'Appointment booked'));
  if (status === AppointmentStatus.CANCELLED)
    events.push(event(CareEventType.APPOINTMENT_CANCELLED, 'Appointment cancelled'));
  if (status === AppointmentStatus.NO_SHOW)
    events.push(event(CareEventType.APPOINTMENT_NO_SHOW, 'Appointment no-show'));
  if (status === AppointmentStatus.FULFILLED)
    events.push(event(CareEventType.APPOINTMENT_FULFILLED, 'Appointment fulfilled'));
  if (!change.deleted && changedAny(change, ['start', 'end']))
    events.push(event(CareEventType.APPOINTMENT_RESCHEDULED, 'Appointment rescheduled'));
  return events;
}

function communicationEvents(change: EntityChange): CareEventDraft[] {
  const communication = change.entity as Communication;
  if (!newStatus(change, communication.status)) return [];
  return [
    recordEvent(
      CareEventType.COMMUNICATION_STATUS_CHANGED,
      'Communication status changed',
      'Communication',
      communication,
    ),
  ];
}

/**
 * TaskAssigned when a task is created (to its owner, its owning team, or else the patient's care
 * teams' work list: today's `createTask` always announced it) or handed to another owner;
 * TaskCompleted when it moves to completed.
 */
function taskEvents(change: EntityChange): CareEventDraft[] {
  const task = change.entity as Task;
  const event = (type: CareEventType, summary: string) => recordEvent(type, summary, 'Task', task);
  const events: CareEventDraft[] = [];
  const reassigned =
    (change.changed.has('owner') && task.owner) ||
    (change.changed.has('ownerTeam') && task.ownerTeam);
  if (change.created || (!change.deleted && reassigned))
    events.push(event(CareEventType.TASK_ASSIGNED, 'Task assigned'));
  if (newStatus(change, task.status) === TaskStatus.COMPLETED)
    events.push(event(CareEventType.TASK_COMPLETED, 'Task completed'));
  return events;
}

/** What a consent permits or denies, to whom and when (not its source or free-text reason). */
const CONSENT_PROVISIONS: readonly string[] = [
  'status',
  'decision',
  'scope',
  'purpose',
  'channel',
  'grantee',
  'periodStart',
  'periodEnd',
  'revokedAt',
  'securityLabels',
];

function consentEvents(change: EntityChange): CareEventDraft[] {
  const consent = change.entity as Consent;
  if (!touched(change, CONSENT_PROVISIONS)) return [];
  const summary = change.created
    ? 'Consent recorded'
    : newStatus(change, consent.status) === ConsentStatus.INACTIVE
      ? 'Consent revoked'
      : 'Consent changed';
  return [recordEvent(CareEventType.CONSENT_CHANGED, summary, 'Consent', consent)];
}

/** A patient enrolled on a team, taken off it or enrolled for another period: its team changed. */
function enrolmentEvents(change: EntityChange): CareEventDraft[] {
  if (!touched(change, ['careTeam', 'periodStart', 'periodEnd'])) return [];
  const enrolment = change.entity as CareTeamPatient;
  return [
    recordEvent(CareEventType.CARE_TEAM_CHANGED, 'Care team changed', 'CareTeamPatient', enrolment),
  ];
}

/**
 * A break-glass session row grants its user emergency access to the patient by itself: the
 * privacy officers hear of every one, however it was written (the privacy feed only).
 */
function breakGlassEvents(change: EntityChange): CareEventDraft[] {
  if (!change.created || change.deleted) return [];
  const session = change.entity as BreakGlassSession;
  return [
    recordEvent(
      CareEventType.BREAK_GLASS_STARTED,
      'Emergency access override started',
      'BreakGlassSession',
      session,
    ),
  ];
}

/** One CarePlanUpdated per care plan whose row, goals or activities changed. */
async function carePlanEvents(em: EntityManager, changes: EntityChange[]) {
  const planIds = new Set<string>();
  for (const change of changes) {
    if (change.type === CarePlan.name && !change.deleted)
      planIds.add((change.entity as CarePlan).id);
    if (change.type === CarePlanGoal.name || change.type === CarePlanActivity.name)
      planIds.add((change.entity as CarePlanGoal | CarePlanActivity).carePlan.id);
  }
  if (planIds.size === 0) return [];
  const plans = await em.find(CarePlan, { id: { $in: [...planIds] } });
  return plans.map((plan): CareEventDraft => ({
    type: CareEventType.CARE_PLAN_UPDATED,
    patientId: plan.patient.id,
    summary: 'Care plan updated',
    subject: { type: 'CarePlan', id: plan.id },
  }));
}

/**
 * A membership added, ended or moved in time changes who cares for every patient enrolled on
 * the team: one CareTeamChanged per such patient (the event's patient decides who receives it).
 */
async function careTeamEvents(em: EntityManager, changes: EntityChange[]) {
  const members = changes
    .filter(
      (change) =>
        change.type === CareTeamMember.name && touched(change, ['periodStart', 'periodEnd']),
    )
    .map((change) => change.entity as CareTeamMember);
  if (members.length === 0) return [];
  const enrolments = await em.find(CareTeamPatient, {
    careTeam: { $in: [...new Set(members.map((m) => m.careTeam.id))] },
    ...notEndedAt(new Date()),
  });
  return members.flatMap((member) =>
    enrolments
      .filter((enrolment) => enrolment.careTeam.id === member.careTeam.id)
      .map((enrolment): CareEventDraft => ({
        type: CareEventType.CARE_TEAM_CHANGED,
        patientId: enrolment.patient.id,
        summary: 'Care team changed',
        subject: { type: 'CareTeamMember', id: member.id },
      })),
  );
}

const PER_ENTITY: Record<string, (change: EntityChange) => CareEventDraft[]> = {
  [Encounter.name]: encounterEvents,
  [Observation.name]: observationEvents,
  [Appointment.name]: appointmentEvents,
  [Communication.name]: communicationEvents,
  [Task.name]: taskEvents,
  [Consent.name]: consentEvents,
  [CareTeamPatient.name]: enrolmentEvents,
  [BreakGlassSession.name]: breakGlassEvents,
};

/**
 * The events one record's change implies by itself (patients look at the whole transaction,
 * care plans and team memberships need the database).
 */
export function recordEvents(change: EntityChange): CareEventDraft[] {
  return PER_ENTITY[change.type]?.(change) ?? [];
}

/**
 * The events a transaction's changes imply, whoever made them (a core service, a plugin
 * through its context, an adapter): patient registrations, detail changes and merges,
 * admissions and discharges, available and released lab results, appointment bookings, moves, cancellations
 * and no-shows, task assignments and completions, consent changes, care plan and communication
 * status changes, care-team membership and enrolment changes, break-glass sessions started.
 * Summaries are fixed strings (never PHI).
 */
export async function deriveEvents(
  em: EntityManager,
  changes: EntityChange[],
): Promise<CareEventDraft[]> {
  const events = patientEvents(changes);
  events.push(...changes.flatMap(recordEvents));
  events.push(...(await carePlanEvents(em, changes)), ...(await careTeamEvents(em, changes)));
  return events;
}

/** The key under which an explicit and a derived event are the same event. */
export function eventKey(event: CareEventDraft): string {
  return `${event.type}|${event.subject.type}|${event.subject.id}|${event.patientId}`;
}
