import { CommunicationChannel, ConsentPurpose } from '@caregraph/schema';
import type { RuleDefinition } from './rule-definition.js';
import { RuleKind } from './rule-kind.js';

/** The rules a tenant starts with (`seedDefaultRules`); edit them through GraphQL. */
export const DEFAULT_RULES: readonly {
  key: string;
  kind: RuleKind;
  definition: Omit<RuleDefinition, 'includeCaregivers'> & { includeCaregivers?: boolean };
}[] = [
  {
    key: 'appointment-reminders',
    kind: RuleKind.APPOINTMENT_REMINDER,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'appointment-reminder',
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL, CommunicationChannel.IN_APP],
      offsets: ['P7D', 'PT24H', 'PT2H'],
      includeCaregivers: true,
    },
  },
  {
    key: 'appointment-confirmation',
    kind: RuleKind.CONFIRMATION_REQUEST,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'appointment-confirmation',
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL, CommunicationChannel.IN_APP],
      offsets: ['PT48H'],
    },
  },
  {
    key: 'lab-result-available',
    kind: RuleKind.LAB_RESULT_AVAILABLE,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'lab-result-available',
      channels: [CommunicationChannel.EMAIL, CommunicationChannel.SMS, CommunicationChannel.IN_APP],
    },
  },
  {
    key: 'refill-due',
    kind: RuleKind.REFILL_DUE,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'refill-due',
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL, CommunicationChannel.IN_APP],
      // How long before the supply runs out.
      offsets: ['P3D'],
    },
  },
  {
    key: 'adherence-check-in',
    kind: RuleKind.ADHERENCE_CHECK_IN,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'adherence-check-in',
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL, CommunicationChannel.IN_APP],
      // The cadence: a check-in every 30 days while the prescription is active.
      delay: 'P30D',
    },
  },
  {
    key: 'care-plan-update',
    kind: RuleKind.CARE_PLAN_UPDATE,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'care-plan-update',
      channels: [CommunicationChannel.EMAIL, CommunicationChannel.SMS, CommunicationChannel.IN_APP],
      // Edits made together settle for an hour; one notice a plan a day (README).
      delay: 'PT1H',
    },
  },
  {
    // Care-gap outreach (README, "Care gaps"): which template and channels the sweep's messages use.
    key: 'care-gap-outreach',
    kind: RuleKind.CARE_GAP,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'care-gap',
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL, CommunicationChannel.IN_APP],
    },
  },
  {
    // Campaigns (README, "Campaigns"): the channels; each message's purpose is its content's.
    key: 'campaigns',
    kind: RuleKind.CAMPAIGN,
    definition: {
      purpose: ConsentPurpose.WELLNESS,
      templateKey: 'campaign',
      channels: [CommunicationChannel.EMAIL, CommunicationChannel.SMS, CommunicationChannel.IN_APP],
    },
  },
  {
    key: 'no-show-follow-up',
    kind: RuleKind.NO_SHOW_FOLLOW_UP,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'no-show-follow-up',
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL, CommunicationChannel.IN_APP],
      delay: 'PT1H',
    },
  },
  {
    key: 'post-visit-survey',
    kind: RuleKind.POST_VISIT_FOLLOW_UP,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'post-visit-survey',
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL, CommunicationChannel.IN_APP],
      delay: 'PT2H',
    },
  },
];
