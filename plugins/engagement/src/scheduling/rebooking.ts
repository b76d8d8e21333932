import { Appointment, AppointmentStatus } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import { RuleKind } from '../store/rule-kind.js';
import { FOLLOW_UPS } from './plan-follow-ups.js';
import { cancelPending, cancelPendingOfPatient } from './schedule-store.js';

/** Statuses of an appointment still ahead: one booked after a missed visit is a rebooking. */
const AHEAD = [AppointmentStatus.BOOKED, AppointmentStatus.PENDING];

const NO_SHOW = FOLLOW_UPS[RuleKind.NO_SHOW_FOLLOW_UP].trigger;

/** Why rebooking outreach was withdrawn (`ScheduledMessage.reasonCode`). */
export const REBOOKED = 'REBOOKED';

/**
 * Withdraws the rebooking outreach a booking made pointless, once an appointment's messages are
 * stored (in the same transaction). A rebooking is an appointment of the patient, booked or
 * pending and still ahead, booked after the missed one:
 * - an appointment booked ahead cancels the patient's pending no-show messages planned before it
 *   was booked (one indexed update; a redelivered event of an older booking cancels nothing);
 * - a no-show whose patient already booked again since the missed visit was booked (before the
 *   no-show was recorded) has its outreach cancelled as soon as it is planned.
 * Returns how many messages it cancelled.
 */
export async function withdrawRebookedOutreach(
  em: EntityManager,
  tenantId: string,
  appointment: Appointment,
  now: Date,
): Promise<number> {
  const patientId = appointment.patient.id;
  const status = appointment.status as AppointmentStatus;
  if (AHEAD.includes(status) && appointment.start > now)
    return cancelPendingOfPatient(em, tenantId, {
      patientId,
      trigger: NO_SHOW,
      plannedBefore: appointment.createdAt,
      reasonCode: REBOOKED,
    });
  if (status !== AppointmentStatus.NO_SHOW) return 0;
  const rebooked = await em.count(Appointment, {
    patient: patientId,
    status: { $in: AHEAD },
    start: { $gt: now },
    createdAt: { $gt: appointment.createdAt },
  });
  return rebooked > 0 ? cancelPending(em, tenantId, `Appointment/${appointment.id}`, REBOOKED) : 0;
}
