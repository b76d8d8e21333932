import { parseOffset } from '../store/rule-offset.js';
import {
  planMessage,
  type PlannedMessage,
  type PlanningRule,
  type Recipient,
} from './planned-message.js';

/** What a notice is about and what set it off. */
export interface NoticeFacts {
  patientId: string;
  /** The record, e.g. `Observation/<id>` or `CarePlan/<id>` (ids only). */
  about: string;
  /** What made it due; part of the idempotency key (`released`, `updated:2026-12-03`). */
  trigger: string;
  /** When it happened (the event's commit time). */
  occurredAt: Date;
}

/**
 * A notice that something is there to see (a released result, an updated care plan): one
 * message per recipient, due `delay` after it happened (at once without one; never in the past),
 * keyed by rule, record, trigger and recipient, so the same happening announces once.
 */
export function planNotice(
  facts: NoticeFacts,
  rule: PlanningRule & { delay?: string },
  recipients: readonly Recipient[],
  now: Date,
): PlannedMessage[] {
  const delay = rule.delay === undefined ? 0 : parseOffset(rule.delay);
  if (delay === undefined) throw new RangeError(`not a delay: ${rule.delay}`);
  const dueAt = new Date(Math.max(facts.occurredAt.getTime() + delay, now.getTime()));
  return recipients.map((recipient) =>
    planMessage(rule, {
      patientId: facts.patientId,
      recipient,
      about: facts.about,
      trigger: facts.trigger,
      dueAt,
    }),
  );
}

/**
 * The trigger of a care-plan update notice: the UTC day of the change. Edits of one plan in a
 * day (a clinician adjusting goals and activities one by one) announce once; the rule's delay
 * lets a burst of edits settle before the message goes.
 */
export function carePlanUpdateTrigger(occurredAt: Date): string {
  return `updated:${occurredAt.toISOString().slice(0, 10)}`;
}
