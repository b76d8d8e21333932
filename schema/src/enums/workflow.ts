import { registerEnumType } from 'type-graphql';

/** FHIR Appointment.status: the full lifecycle. */
export enum AppointmentStatus {
  PROPOSED = 'proposed',
  PENDING = 'pending',
  BOOKED = 'booked',
  ARRIVED = 'arrived',
  CHECKED_IN = 'checked-in',
  FULFILLED = 'fulfilled',
  CANCELLED = 'cancelled',
  NO_SHOW = 'noshow',
  ENTERED_IN_ERROR = 'entered-in-error',
  WAITLIST = 'waitlist',
}
registerEnumType(AppointmentStatus, { name: 'AppointmentStatus' });

/** Statuses in which an appointment holds its practitioner's time. */
export const SLOT_HOLDING_APPOINTMENT_STATUSES: readonly AppointmentStatus[] = [
  AppointmentStatus.PENDING,
  AppointmentStatus.BOOKED,
  AppointmentStatus.ARRIVED,
  AppointmentStatus.CHECKED_IN,
];

/** FHIR Task.status. */
export enum TaskStatus {
  DRAFT = 'draft',
  REQUESTED = 'requested',
  RECEIVED = 'received',
  ACCEPTED = 'accepted',
  REJECTED = 'rejected',
  READY = 'ready',
  CANCELLED = 'cancelled',
  IN_PROGRESS = 'in-progress',
  ON_HOLD = 'on-hold',
  FAILED = 'failed',
  COMPLETED = 'completed',
  ENTERED_IN_ERROR = 'entered-in-error',
}
registerEnumType(TaskStatus, { name: 'TaskStatus' });

/** FHIR request priority. */
export enum RequestPriority {
  ROUTINE = 'routine',
  URGENT = 'urgent',
  ASAP = 'asap',
  STAT = 'stat',
}
registerEnumType(RequestPriority, { name: 'RequestPriority' });

/** FHIR CarePlan.status (request status). */
export enum CarePlanStatus {
  DRAFT = 'draft',
  ACTIVE = 'active',
  ON_HOLD = 'on-hold',
  REVOKED = 'revoked',
  COMPLETED = 'completed',
  ENTERED_IN_ERROR = 'entered-in-error',
}
registerEnumType(CarePlanStatus, { name: 'CarePlanStatus' });

/** FHIR Goal.lifecycleStatus. */
export enum GoalLifecycleStatus {
  PROPOSED = 'proposed',
  PLANNED = 'planned',
  ACCEPTED = 'accepted',
  ACTIVE = 'active',
  ON_HOLD = 'on-hold',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}
registerEnumType(GoalLifecycleStatus, { name: 'GoalLifecycleStatus' });

/** FHIR CarePlan.activity.detail.status. */
export enum CarePlanActivityStatus {
  NOT_STARTED = 'not-started',
  SCHEDULED = 'scheduled',
  IN_PROGRESS = 'in-progress',
  ON_HOLD = 'on-hold',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}
registerEnumType(CarePlanActivityStatus, { name: 'CarePlanActivityStatus' });

/** FHIR CareTeam.status. */
export enum CareTeamStatus {
  PROPOSED = 'proposed',
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
  INACTIVE = 'inactive',
}
registerEnumType(CareTeamStatus, { name: 'CareTeamStatus' });
