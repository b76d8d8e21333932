import { Appointment, AppointmentStatus } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import type { TenantScope } from '@caregraph/plugin-sdk';
import { currentRules } from '../store/rule-repository.js';
import type { Reconciled } from './follow-events.js';
import { APPOINTMENT_RULES, planFromRules } from './plan-from-rules.js';
import { recipientsOf } from './recipients.js';
import { cancelPending, storePlanned } from './schedule-store.js';

/**
 * Brings an appointment's pending messages in line with the appointment as it is now (booked,
 * moved or cancelled): plans its reminders and confirmation requests from the tenant's current
 * rules, stores those not stored yet, and cancels the pending ones no longer planned (those of its
 * old time, or all of them once it is cancelled), in one transaction. Running it again changes
 * nothing, so a redelivered event is harmless.
 */
export async function reconcileAppointment(
  scope: TenantScope,
  appointmentId: string,
  now: Date,
): Promise<Reconciled> {
  return scope.write(async (w) => {
    // The hub's EntityManager is MikroORM's SQL one (the SDK types it as the core interface).
    const em = w.em as EntityManager;
    const appointment = await em.findOne(Appointment, appointmentId, { populate: ['patient'] });
    const about = `Appointment/${appointmentId}`;
    if (!appointment) return { planned: 0, cancelled: 0 };
    const patientId = appointment.patient.id;
    const rules = await currentRules(em, APPOINTMENT_RULES);
    const withCaregivers = rules.some((r) => r.definition.includeCaregivers);
    const recipients = (await recipientsOf(em, [patientId], withCaregivers)).get(patientId)!;
    const facts = {
      id: appointment.id,
      patientId,
      start: appointment.start,
      status: appointment.status,
    };
    const planned = planFromRules(facts, rules, recipients, now);
    const reason =
      appointment.status === AppointmentStatus.CANCELLED
        ? 'APPOINTMENT_CANCELLED'
        : 'APPOINTMENT_CHANGED';
    const cancelled = await cancelPending(
      em,
      scope.tenantId,
      about,
      reason,
      planned.map((p) => p.idempotencyKey),
    );
    return { planned: await storePlanned(em, scope.tenantId, planned), cancelled };
  });
}
