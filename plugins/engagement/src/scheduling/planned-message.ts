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
