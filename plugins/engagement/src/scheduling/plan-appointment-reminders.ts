import { AppointmentStatus } from '@caregraph/schema';
import { parseOffset } from '../store/rule-offset.js';
import {
  planMessage,
  type PlannedMessage,
  type PlanningRule,
  type Recipient,
} from './planned-message.js';

/** What planning needs of an appointment. */
export interface AppointmentFacts {
  id: string;
  patientId: string;
  start: Date;
  status: AppointmentStatus;
}

/** Statuses in which an appointment is still ahead and worth a reminder. */
const REMINDABLE: ReadonlySet<AppointmentStatus> = new Set([
  AppointmentStatus.PENDING,
  AppointmentStatus.BOOKED,
]);

/**
 * The reminders (or confirmation requests) of one appointment: one per offset and recipient, due
 * `offset` before the start, expiring at the start. An offset whose time has already passed
 * (a visit booked for tomorrow has no 7-day reminder) is left out, so is every offset of an
 * appointment that is no longer pending or booked.
 *
 * The start is part of what the message is about (`Appointment/<id>@<start>`): a moved
 * appointment gets reminders of its own for the new time, while planning the same appointment and
 * time again (a redelivered event, a retry after a crash) yields the same keys, stored once.
 */
export function planAppointmentReminders(
  appointment: AppointmentFacts,
  rule: PlanningRule & { offsets: readonly string[] },
  recipients: readonly Recipient[],
  now: Date,
): PlannedMessage[] {
  if (!REMINDABLE.has(appointment.status) || appointment.start <= now) return [];
  const about = `Appointment/${appointment.id}@${appointment.start.toISOString()}`;
  const planned: PlannedMessage[] = [];
  for (const offset of rule.offsets) {
    const ms = parseOffset(offset);
    if (ms === undefined) throw new RangeError(`not a reminder offset: ${offset}`);
    const dueAt = new Date(appointment.start.getTime() - ms);
    if (dueAt < now) continue;
    for (const recipient of recipients)
      planned.push(
        planMessage(rule, {
          patientId: appointment.patientId,
          recipient,
          about: `Appointment/${appointment.id}`,
          trigger: offset,
          dueAt,
          expiresAt: appointment.start,
          // The start in the key: a moved appointment gets reminders of its new time.
          key: { about },
        }),
      );
  }
  return planned;
}
