import type { ConsentPurpose } from '@caregraph/schema';

/** Who a message goes to: the patient, or a caregiver or proxy of theirs. */
export interface Recipient {
  type: 'Patient' | 'RelatedPerson';
  id: string;
}

/** A rule version as the planners read it. */
export interface PlanningRule {
  key: string;
  version: number;
  purpose: ConsentPurpose;
  templateKey: string;
}

/** A message a planner decided on: a `ScheduledMessage` row before it is stored. */
export interface PlannedMessage {
  idempotencyKey: string;
  patientId: string;
  recipient: Recipient;
  ruleKey: string;
  ruleVersion: number;
  purpose: ConsentPurpose;
  templateKey: string;
  about?: string;
  trigger: string;
  dueAt: Date;
  expiresAt?: Date;
}

/**
 * The idempotency key of a planned message: the rule (not its version: a new version does not
 * send the same reminder again), what it is about, the trigger and the recipient. Ids and codes
 * only, no PHI.
 */
export function idempotencyKeyOf(
  ruleKey: string,
  about: string,
  trigger: string,
  recipient: Recipient,
): string {
  return `${ruleKey}:${about}:${trigger}:${recipient.type}/${recipient.id}`;
}

/** What a planner decides for one message; the rule supplies the rest. */
export interface MessagePlan {
  patientId: string;
  recipient: Recipient;
  about: string;
  trigger: string;
  dueAt: Date;
  expiresAt?: Date;
  /** Where the idempotency key names something else than `about` / `trigger` (kept stable). */
  key?: { about?: string; trigger?: string };
}

/** A planned message of `rule`, keyed by `idempotencyKeyOf`. */
export function planMessage(rule: PlanningRule, plan: MessagePlan): PlannedMessage {
  const { key, ...message } = plan;
  return {
    ...message,
    idempotencyKey: idempotencyKeyOf(
      rule.key,
      key?.about ?? plan.about,
      key?.trigger ?? plan.trigger,
      plan.recipient,
    ),
    ruleKey: rule.key,
    ruleVersion: rule.version,
    purpose: rule.purpose,
    templateKey: rule.templateKey,
  };
}

/** The planning view of a stored rule version. */
export function planningRuleOf(rule: {
  key: string;
  version: number;
  definition: { purpose: ConsentPurpose; templateKey: string };
}): PlanningRule {
  return {
    key: rule.key,
    version: rule.version,
    purpose: rule.definition.purpose,
    templateKey: rule.definition.templateKey,
  };
}
