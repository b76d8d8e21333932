import { parseOffset } from '../store/rule-offset.js';
import { RuleKind } from '../store/rule-kind.js';
import type { EngagementRule } from '../store/engagement-rule.js';
import { planAppointmentReminders, type AppointmentFacts } from './plan-appointment-reminders.js';
import type { PlannedMessage, Recipient } from './planned-message.js';

/** The rule kinds planned from an appointment's time. */
export const APPOINTMENT_RULES = [
  RuleKind.APPOINTMENT_REMINDER,
  RuleKind.CONFIRMATION_REQUEST,
] as const;

/**
 * The messages the tenant's current appointment rules plan for one appointment: each rule's
 * offsets for the patient, and for the patient's caregivers among `recipients` (`recipientsOf`)
 * when the rule includes them. Shared by the event-driven reconcile and the periodic sweep, so both plan the
 * same idempotency keys.
 */
export function planFromRules(
  appointment: AppointmentFacts,
  rules: readonly EngagementRule[],
  recipients: readonly Recipient[],
  now: Date,
): PlannedMessage[] {
  const patient: Recipient = { type: 'Patient', id: appointment.patientId };
  const caregivers = recipients.filter((r) => r.type === 'RelatedPerson');
  return rules.flatMap((rule) =>
    planAppointmentReminders(
      appointment,
      {
        key: rule.key,
        version: rule.version,
        purpose: rule.definition.purpose,
        templateKey: rule.definition.templateKey,
        offsets: rule.definition.offsets ?? [],
      },
      rule.definition.includeCaregivers ? [patient, ...caregivers] : [patient],
      now,
    ),
  );
}

/** The longest offset of the rules in ms (0 without offsets): how far ahead reminders reach. */
export function longestOffset(rules: readonly EngagementRule[]): number {
  let longest = 0;
  for (const rule of rules)
    for (const offset of rule.definition.offsets ?? [])
      longest = Math.max(longest, parseOffset(offset) ?? 0);
  return longest;
}
