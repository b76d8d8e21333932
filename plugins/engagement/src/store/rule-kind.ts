import { registerEnumType } from 'type-graphql';

/** What an automation does; each kind has its own trigger (see README, "Automations"). */
export enum RuleKind {
  APPOINTMENT_REMINDER = 'appointment-reminder',
  CONFIRMATION_REQUEST = 'confirmation-request',
  NO_SHOW_FOLLOW_UP = 'no-show-follow-up',
  POST_VISIT_FOLLOW_UP = 'post-visit-follow-up',
  LAB_RESULT_AVAILABLE = 'lab-result-available',
  REFILL_DUE = 'refill-due',
  ADHERENCE_CHECK_IN = 'adherence-check-in',
  CARE_GAP = 'care-gap',
  CARE_PLAN_UPDATE = 'care-plan-update',
  CAMPAIGN = 'campaign',
}
registerEnumType(RuleKind, {
  name: 'EngagementRuleKind',
  description: 'What an engagement automation does.',
});

/** The `Communication.category` of each kind's messages. */
export const COMMUNICATION_CATEGORY: Readonly<Record<RuleKind, string>> = {
  [RuleKind.APPOINTMENT_REMINDER]: 'reminder',
  [RuleKind.CONFIRMATION_REQUEST]: 'reminder',
  [RuleKind.NO_SHOW_FOLLOW_UP]: 'follow-up',
  [RuleKind.POST_VISIT_FOLLOW_UP]: 'survey',
  [RuleKind.LAB_RESULT_AVAILABLE]: 'notification',
  [RuleKind.REFILL_DUE]: 'reminder',
  [RuleKind.ADHERENCE_CHECK_IN]: 'follow-up',
  [RuleKind.CARE_GAP]: 'reminder',
  [RuleKind.CARE_PLAN_UPDATE]: 'notification',
  [RuleKind.CAMPAIGN]: 'education',
};
