import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/**
 * Types of events a care team can watch (the catalogue, documented in docs/events.md). Names
 * are stable: clients and plugins rely on them.
 */
export enum CareEventType {
  PATIENT_REGISTERED = 'PatientRegistered',
  PATIENT_UPDATED = 'PatientUpdated',
  PATIENTS_MERGED = 'PatientsMerged',
  PATIENT_ADMITTED = 'PatientAdmitted',
  PATIENT_DISCHARGED = 'PatientDischarged',
  LAB_RESULT_AVAILABLE = 'LabResultAvailable',
  /** A clinician released a laboratory result to the patient (`releaseLabResult`). */
  LAB_RESULT_RELEASED = 'LabResultReleased',
  APPOINTMENT_BOOKED = 'AppointmentBooked',
  APPOINTMENT_RESCHEDULED = 'AppointmentRescheduled',
  APPOINTMENT_CANCELLED = 'AppointmentCancelled',
  APPOINTMENT_NO_SHOW = 'AppointmentNoShow',
  APPOINTMENT_FULFILLED = 'AppointmentFulfilled',
  TASK_ASSIGNED = 'TaskAssigned',
  TASK_COMPLETED = 'TaskCompleted',
  CARE_PLAN_UPDATED = 'CarePlanUpdated',
  DEVICE_ALERT = 'DeviceAlert',
  COMMUNICATION_STATUS_CHANGED = 'CommunicationStatusChanged',
  CONSENT_CHANGED = 'ConsentChanged',
  CARE_TEAM_CHANGED = 'CareTeamChanged',
  /** A clinician started an emergency override; delivered on the privacy feed only. */
  BREAK_GLASS_STARTED = 'BreakGlassStarted',
  /**
   * Not a domain event: the subscription fell too far behind (its queue overflowed) and ends
   * after this event. Resubscribe with `after` set to the last event id received.
   */
  RESYNC = 'Resync',
}
registerEnumType(CareEventType, { name: 'CareEventType' });

/** Reference to the record an event is about, e.g. `{ type: 'Appointment', id }`. */
export interface CareEventSubjectRef {
  type:
    | 'Patient'
    | 'Appointment'
    | 'Task'
    | 'Consent'
    | 'CareTeamMember'
    | 'CareTeamPatient'
    | 'BreakGlassSession'
    | 'Encounter'
    | 'Observation'
    | 'CarePlan'
    | 'Communication';
  id: string;
}

/**
 * An event as it travels on the bus: ids only, never PHI. The GraphQL layer loads the patient
 * and the changed record for each receiver, after authorising them.
 */
export interface CareEventMessage {
  id: string;
  tenantId: string;
  type: CareEventType;
  occurredAt: string;
  patientId: string;
  /** Short description without PHI, e.g. "Appointment booked". */
  summary: string;
  subject: CareEventSubjectRef;
  /** Commit order within the tenant (from the outbox); subscribers skip positions they had. */
  position?: number;
}

/** GraphQL view of an event; `patient` and `subject` are resolved by core. */
@ObjectType()
export class CareEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => CareEventType)
  type!: CareEventType;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => String)
  summary!: string;

  /** The message this view was made from. */
  message!: CareEventMessage;
}
