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
];
