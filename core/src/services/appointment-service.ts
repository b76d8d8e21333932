import { LockMode } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import {
  Appointment,
  AppointmentParticipant,
  AppointmentStatus,
  CodedConcept,
  Patient,
  Practitioner,
  SLOT_HOLDING_APPOINTMENT_STATUSES,
  type BookAppointmentInput,
} from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors/caregraph-error.js';
import type { Page } from '../graphql/types/connection.js';
import { decodeCursor, pageSize, toPage } from '../graphql/types/pagination.js';
import { write } from './transaction.js';
import { requireAccess } from '../security/require-access.js';
import { visiblePatientFilter } from '../security/visible-patients.js';

const BOOKABLE_STATUSES = [
  AppointmentStatus.BOOKED,
  AppointmentStatus.PENDING,
  AppointmentStatus.PROPOSED,
];
const MAX_APPOINTMENT_MS = 24 * 60 * 60 * 1000;

/**
 * Allowed status changes (FHIR Appointment lifecycle). Cancellation has its own mutation
 * because it carries a reason.
 */
export const APPOINTMENT_TRANSITIONS: Readonly<
  Record<AppointmentStatus, readonly AppointmentStatus[]>
> = {
  [AppointmentStatus.PROPOSED]: [
    AppointmentStatus.PENDING,
    AppointmentStatus.BOOKED,
    AppointmentStatus.CANCELLED,
  ],
  [AppointmentStatus.PENDING]: [AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED],
  [AppointmentStatus.WAITLIST]: [AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED],
  [AppointmentStatus.BOOKED]: [
    AppointmentStatus.ARRIVED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.NO_SHOW,
    AppointmentStatus.CANCELLED,
    AppointmentStatus.ENTERED_IN_ERROR,
  ],
  [AppointmentStatus.ARRIVED]: [
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.FULFILLED,
    AppointmentStatus.CANCELLED,
  ],
  [AppointmentStatus.CHECKED_IN]: [AppointmentStatus.FULFILLED, AppointmentStatus.CANCELLED],
  [AppointmentStatus.FULFILLED]: [AppointmentStatus.ENTERED_IN_ERROR],
  [AppointmentStatus.NO_SHOW]: [AppointmentStatus.ENTERED_IN_ERROR],
  [AppointmentStatus.CANCELLED]: [AppointmentStatus.ENTERED_IN_ERROR],
  [AppointmentStatus.ENTERED_IN_ERROR]: [],
};

/** Whether the lifecycle allows going from `from` to `to`. */
export function canTransition(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return APPOINTMENT_TRANSITIONS[from].includes(to);
}

/** The problems of a slot (times in the future, end after start, at most 24 hours long). */
function slotProblems(slot: { start: Date; end: Date }, now: Date, at: string[]) {
  const problems: { path: string[]; message: string }[] = [];
  if (slot.end.getTime() <= slot.start.getTime())
    problems.push({ path: [...at, 'end'], message: 'must be after start' });
  else if (slot.end.getTime() - slot.start.getTime() > MAX_APPOINTMENT_MS)
    problems.push({ path: [...at, 'end'], message: 'must be within 24 hours of start' });
  if (slot.start.getTime() < now.getTime())
    problems.push({ path: [...at, 'start'], message: 'must not be in the past' });
  return problems;
}

function validateSlot(input: BookAppointmentInput, now: Date): void {
  const problems = slotProblems(input, now, ['input']);
  if (input.status && !BOOKABLE_STATUSES.includes(input.status))
    problems.push({ path: ['input', 'status'], message: 'must be BOOKED, PENDING or PROPOSED' });
  if (problems.length) throw BadUserInputError.invalid(problems);
}

/**
 * Refuses a slot of `practitioner` that overlaps an appointment holding their time (`except`:
 * the appointment being moved). The caller holds the practitioner's row lock, so two concurrent
 * bookings of one time cannot both pass.
 */
async function requireFreeSlot(
  em: EntityManager,
  practitioner: Practitioner,
  slot: { start: Date; end: Date },
  except?: string,
): Promise<void> {
  const overlapping = await em.count(Appointment, {
    practitioner,
    status: { $in: [...SLOT_HOLDING_APPOINTMENT_STATUSES] },
    start: { $lt: slot.end },
    end: { $gt: slot.start },
    ...(except ? { id: { $ne: except } } : {}),
  });
  if (overlapping > 0)
    throw ConflictError.because('The practitioner already has an appointment at that time.', {
      path: ['input', 'start'],
    });
}

/**
 * Books an appointment. The practitioner's row is locked for the transaction, so two
 * concurrent bookings of the same time cannot both succeed. Appointment events (booked,
 * cancelled, no-show, rescheduled) are derived from the change by `write`, not emitted here.
 */
export async function bookAppointment(
  ctx: AuthenticatedContext,
  input: BookAppointmentInput,
): Promise<Appointment> {
  validateSlot(input, new Date());
  return write(ctx, async (scope) => {
    const patient = await scope.em.findOne(Patient, input.patientId);
    if (!patient) throw NotFoundError.record('Patient', input.patientId);
    if (!patient.active)
      throw ConflictError.because('This patient record is inactive (merged).', {
        path: ['input', 'patientId'],
      });
    const practitioner = await scope.em.findOne(Practitioner, input.practitionerId, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
    });
    if (!practitioner) throw NotFoundError.record('Practitioner', input.practitionerId);
    const status = input.status ?? AppointmentStatus.BOOKED;
    if (SLOT_HOLDING_APPOINTMENT_STATUSES.includes(status))
      await requireFreeSlot(scope.em, practitioner, input);
    const appointment = scope.em.create(Appointment, {
      tenantId: ctx.tenantId,
      patient,
      practitioner,
      status,
      start: input.start,
      end: input.end,
      serviceType: input.serviceType
        ? Object.assign(new CodedConcept(), input.serviceType)
        : undefined,
      location: input.location,
      telehealthUrl: input.telehealthUrl,
      description: input.description,
      participants: [
        Object.assign(new AppointmentParticipant(), {
          actorType: 'Patient',
          actorId: patient.id,
          role: 'SBJ',
        }),
        Object.assign(new AppointmentParticipant(), {
          actorType: 'Practitioner',
          actorId: practitioner.id,
          role: 'PPRF',
        }),
      ],
    });
    scope.audit({
      action: 'C',
      type: 'appointment.book',
      entity: `Appointment/${appointment.id}`,
      patientId: patient.id,
    });
    scope.provenance(`Appointment/${appointment.id}`, 'create');
    return appointment;
  });
}

/** Cancels an appointment that has not happened yet. */
export async function cancelAppointment(
  ctx: AuthenticatedContext,
  id: string,
  reason?: string,
): Promise<Appointment> {
  return write(ctx, async (scope) => {
    const appointment = await scope.em.findOne(Appointment, id);
    if (!appointment) throw NotFoundError.record('Appointment', id);
    await requireAccess(ctx, scope.em, appointment.patient.id, 'scheduling', 'write');
    if (!canTransition(appointment.status as AppointmentStatus, AppointmentStatus.CANCELLED)) {
      throw ConflictError.because(
        `An appointment in status ${appointment.status} cannot be cancelled.`,
        { status: appointment.status },
      );
    }
    appointment.status = AppointmentStatus.CANCELLED;
    appointment.cancellationReason = reason;
    appointment.cancelledAt = new Date();
    scope.audit({
      action: 'U',
      type: 'appointment.cancel',
      entity: `Appointment/${id}`,
      patientId: appointment.patient.id,
    });
    scope.provenance(`Appointment/${id}`, 'update', 'cancelled');
    return appointment;
  });
}

/** Statuses an appointment can be moved to another time in (it has not begun). */
const MOVABLE_STATUSES: readonly AppointmentStatus[] = [
  AppointmentStatus.PROPOSED,
  AppointmentStatus.PENDING,
  AppointmentStatus.BOOKED,
  AppointmentStatus.WAITLIST,
];

/**
 * Moves an appointment that has not begun to another time with the same practitioner (whose row
 * is locked, as when booking, so the new time cannot be double-booked). The change implies an
 * `AppointmentRescheduled` event (derived by `write`).
 */
export async function rescheduleAppointment(
  ctx: AuthenticatedContext,
  id: string,
  slot: { start: Date; end: Date },
): Promise<Appointment> {
  const problems = slotProblems(slot, new Date(), ['input']);
  if (problems.length) throw BadUserInputError.invalid(problems);
  return write(ctx, async (scope) => {
    const appointment = await scope.em.findOne(Appointment, id);
    if (!appointment) throw NotFoundError.record('Appointment', id);
    await requireAccess(ctx, scope.em, appointment.patient.id, 'scheduling', 'write');
    if (!MOVABLE_STATUSES.includes(appointment.status as AppointmentStatus))
      throw ConflictError.because(
        `An appointment in status ${appointment.status} cannot be rescheduled.`,
        { status: appointment.status },
      );
    if (appointment.practitioner) {
      const practitioner = await scope.em.findOneOrFail(Practitioner, appointment.practitioner.id, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
      });
      if (SLOT_HOLDING_APPOINTMENT_STATUSES.includes(appointment.status as AppointmentStatus))
        await requireFreeSlot(scope.em, practitioner, slot, id);
    }
    appointment.start = slot.start;
    appointment.end = slot.end;
    scope.audit({
      action: 'U',
      type: 'appointment.reschedule',
      entity: `Appointment/${id}`,
      patientId: appointment.patient.id,
    });
    scope.provenance(`Appointment/${id}`, 'update', 'rescheduled');
    return appointment;
  });
}

/** Moves an appointment along its lifecycle (arrived, checked in, fulfilled, no-show…). */
export async function setAppointmentStatus(
  ctx: AuthenticatedContext,
  id: string,
  status: AppointmentStatus,
): Promise<Appointment> {
  if (status === AppointmentStatus.CANCELLED)
    throw BadUserInputError.field(['status'], 'use cancelAppointment to cancel');
  return write(ctx, async (scope) => {
    const appointment = await scope.em.findOne(Appointment, id);
    if (!appointment) throw NotFoundError.record('Appointment', id);
    await requireAccess(ctx, scope.em, appointment.patient.id, 'scheduling', 'write');
    if (!canTransition(appointment.status as AppointmentStatus, status)) {
      throw ConflictError.because(
        `An appointment cannot go from ${appointment.status} to ${status}.`,
        { from: appointment.status, to: status },
      );
    }
    appointment.status = status;
    scope.audit({
      action: 'U',
      type: 'appointment.status',
      entity: `Appointment/${id}`,
      patientId: appointment.patient.id,
      detail: { status },
    });
    scope.provenance(`Appointment/${id}`, 'update', `status ${status}`);
    return appointment;
  });
}

/** Filters of the `appointments` query. */
export interface AppointmentFilter {
  patientId?: string;
  practitionerId?: string;
  from?: Date;
  to?: Date;
  statuses?: AppointmentStatus[];
}

/** Lists appointments in start order. */
export async function listAppointments(
  ctx: AuthenticatedContext,
  filter: AppointmentFilter,
  page: { first?: number; after?: string },
): Promise<Page<Appointment>> {
  const size = pageSize(page.first);
  const cursor = decodeCursor(page.after);
  const and: FilterQuery<Appointment>[] = [];
  const visible = await visiblePatientFilter(ctx, 'scheduling', 'read');
  if (visible && ctx.actor.practitionerId)
    and.push({
      $or: [visible as FilterQuery<Appointment>, { practitioner: ctx.actor.practitionerId }],
    });
  else if (visible) and.push(visible as FilterQuery<Appointment>);
  if (filter.patientId) and.push({ patient: filter.patientId });
  if (filter.practitionerId) and.push({ practitioner: filter.practitionerId });
  if (filter.from) and.push({ start: { $gte: filter.from } });
  if (filter.to) and.push({ start: { $lt: filter.to } });
  if (filter.statuses?.length) and.push({ status: { $in: filter.statuses } });
  if (cursor) {
    const at = new Date(String(cursor.sort));
    and.push({ $or: [{ start: { $gt: at } }, { start: at, id: { $gt: cursor.id } }] });
  }
  const rows = await ctx.em.find(
    Appointment,
    { $and: and },
    { orderBy: { start: 'asc', id: 'asc' }, limit: size + 1 },
  );
  return toPage(
    rows,
    size,
    (a) => ({ sort: a.start.toISOString(), id: a.id }),
    cursor !== undefined,
  );
}
