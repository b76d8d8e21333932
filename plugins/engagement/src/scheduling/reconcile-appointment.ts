import { Appointment, AppointmentStatus } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import type { TenantScope } from '@caregraph/plugin-sdk';
import { currentRules } from '../store/rule-repository.js';
import { RuleKind } from '../store/rule-kind.js';
import type { Reconciled } from './follow-events.js';
import { FOLLOW_UPS, planFollowUps, type FollowUpKind } from './plan-follow-ups.js';
import { APPOINTMENT_RULES, planFromRules } from './plan-from-rules.js';
import { recipientsOf } from './recipients.js';
import { withdrawRebookedOutreach } from './rebooking.js';
import { cancelPending, storePlanned } from './schedule-store.js';

/** The rule kinds planned from how an appointment ended (a no-show, a visit that took place). */
const FOLLOW_UP_RULES = Object.keys(FOLLOW_UPS) as FollowUpKind[];

const isFollowUp = (kind: RuleKind): kind is FollowUpKind => kind in FOLLOW_UPS;

/**
 * Brings an appointment's pending messages in line with the appointment as it is now (booked,
 * moved, cancelled, a no-show or fulfilled): plans its reminders and confirmation requests, or
 * its follow-up (rebooking outreach, the survey), from the tenant's current rules, stores those
 * not stored yet, and cancels the pending ones no longer planned (those of its old time, or all
 * of them once it is cancelled), and withdraws rebooking outreach the patient's bookings made
 * pointless (`withdrawRebookedOutreach`), in one transaction. Running it again changes nothing,
 * so a redelivered event is harmless.
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
    const rules = await currentRules(em, [...APPOINTMENT_RULES, ...FOLLOW_UP_RULES]);
    const withCaregivers = rules.some((r) => r.definition.includeCaregivers);
    const recipients = (await recipientsOf(em, [patientId], withCaregivers)).get(patientId)!;
    const facts = {
      id: appointment.id,
      patientId,
      start: appointment.start,
      status: appointment.status,
    };
    const patientOnly = recipients.filter((r) => r.type === 'Patient');
    const planned = [
      ...planFromRules(
        facts,
        rules.filter((rule) => !isFollowUp(rule.kind)),
        recipients,
        now,
      ),
      ...rules.flatMap((rule) =>
        isFollowUp(rule.kind)
          ? planFollowUps(
              rule.kind,
              { ...facts, end: appointment.end },
              {
                key: rule.key,
                version: rule.version,
                purpose: rule.definition.purpose,
                templateKey: rule.definition.templateKey,
                delay: rule.definition.delay,
              },
              rule.definition.includeCaregivers ? recipients : patientOnly,
              now,
            )
          : [],
      ),
    ];
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
    const stored = await storePlanned(em, scope.tenantId, planned);
    const withdrawn = await withdrawRebookedOutreach(em, scope.tenantId, appointment, now);
    return { planned: stored, cancelled: cancelled + withdrawn };
  });
}
