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
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL],
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
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL],
      offsets: ['PT48H'],
    },
  },
  {
    // Care-gap outreach (README, "Care gaps"): which template and channels the sweep's messages use.
    key: 'care-gap-outreach',
    kind: RuleKind.CARE_GAP,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'care-gap',
      channels: [CommunicationChannel.SMS, CommunicationChannel.EMAIL],
    },
  },
  {
    // Campaigns (README, "Campaigns"): the channels; each message's purpose is its content's.
    key: 'campaigns',
    kind: RuleKind.CAMPAIGN,
    definition: {
      purpose: ConsentPurpose.WELLNESS,
      templateKey: 'campaign',
      channels: [CommunicationChannel.EMAIL, CommunicationChannel.SMS],
    },
  },
];
