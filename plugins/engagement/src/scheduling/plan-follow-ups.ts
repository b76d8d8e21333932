import { AppointmentStatus } from '@caregraph/schema';
import { parseOffset } from '../store/rule-offset.js';
import { RuleKind } from '../store/rule-kind.js';
import {
  planMessage,
  type PlannedMessage,
  type PlanningRule,
  type Recipient,
} from './planned-message.js';

/** What a follow-up needs of an appointment. */
export interface FollowUpFacts {
  id: string;
  patientId: string;
  end: Date;
  status: AppointmentStatus;
}

/** The follow-up kinds, what makes each due, and the `trigger` its messages carry. */
export const FOLLOW_UPS = {
  [RuleKind.NO_SHOW_FOLLOW_UP]: { status: AppointmentStatus.NO_SHOW, trigger: 'no-show' },
  [RuleKind.POST_VISIT_FOLLOW_UP]: { status: AppointmentStatus.FULFILLED, trigger: 'post-visit' },
} as const;

/** The rule kinds `planFollowUps` plans. */
export type FollowUpKind = keyof typeof FOLLOW_UPS;

/** Delay of a rule without one: an hour after a missed visit, two after one that took place. */
export const DEFAULT_DELAY: Readonly<Record<FollowUpKind, string>> = {
  [RuleKind.NO_SHOW_FOLLOW_UP]: 'PT1H',
  [RuleKind.POST_VISIT_FOLLOW_UP]: 'PT2H',
};

/**
 * How long after it falls due a follow-up is still worth sending: a week to rebook a missed
 * visit; three days to ask about a visit (later answers say little about it).
 */
export const FOLLOW_UP_LIFETIME_MS: Readonly<Record<FollowUpKind, number>> = {
  [RuleKind.NO_SHOW_FOLLOW_UP]: 7 * 24 * 3_600_000,
  [RuleKind.POST_VISIT_FOLLOW_UP]: 3 * 24 * 3_600_000,
};

/**
 * The follow-up of one appointment for one rule: one message per recipient once the appointment
 * is a no-show (rebooking outreach) or fulfilled (the satisfaction survey), due the rule's
 * `delay` after the appointment's scheduled end and expiring `FOLLOW_UP_LIFETIME_MS` after that.
 * A status recorded late still gets its follow-up (due now) until it expires; in any other
 * status, or once expired, nothing is planned.
 *
 * The key names the appointment, not its time (`<rule>:Appointment/<id>:no-show:<recipient>`):
 * at most one follow-up per appointment, rule and recipient, however often it is planned (a
 * redelivered event, a new rule version).
 */
export function planFollowUps(
  kind: FollowUpKind,
  appointment: FollowUpFacts,
  rule: PlanningRule & { delay?: string },
  recipients: readonly Recipient[],
  now: Date,
): PlannedMessage[] {
  const { status, trigger } = FOLLOW_UPS[kind];
  if (appointment.status !== status) return [];
  const delay = rule.delay ?? DEFAULT_DELAY[kind];
  const ms = parseOffset(delay);
  if (ms === undefined) throw new RangeError(`not a follow-up delay: ${delay}`);
  const due = new Date(appointment.end.getTime() + ms);
  const expiresAt = new Date(due.getTime() + FOLLOW_UP_LIFETIME_MS[kind]);
  if (expiresAt <= now) return [];
  const about = `Appointment/${appointment.id}`;
  return recipients.map((recipient) =>
    planMessage(rule, {
      patientId: appointment.patientId,
      recipient,
      about,
      trigger,
      dueAt: due > now ? due : now,
      expiresAt,
    }),
  );
}
