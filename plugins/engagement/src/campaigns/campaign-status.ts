import { registerEnumType } from 'type-graphql';

/** Where a campaign stands. */
export enum CampaignStatus {
  /** Being written: editable. */
  DRAFT = 'draft',
  /** To be launched at `scheduledAt`. */
  SCHEDULED = 'scheduled',
  /** Launched: one message per audience patient handed to the queue. */
  SENT = 'sent',
  /** Withdrawn; its messages not yet sent were cancelled. */
  CANCELLED = 'cancelled',
}
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'Where a campaign stands.',
});
