import { registerEnumType } from 'type-graphql';

/** Where a planned message stands, from planning to the recipient's answer. */
export enum ScheduledMessageStatus {
  /** Planned: waits for its due time. */
  SCHEDULED = 'scheduled',
  /** Due, but held by a policy (quiet hours, a frequency cap) until `dueAt`. */
  DEFERRED = 'deferred',
  /** Claimed by a dispatcher until `leaseUntil`: being sent. */
  SENDING = 'sending',
  /** Accepted by the channel (the SMTP server, the SMS provider). */
  SENT = 'sent',
  /** The provider confirmed delivery (a delivery receipt). */
  DELIVERED = 'delivered',
  /** Could not be sent (permanent error, or out of attempts). */
  FAILED = 'failed',
  /** The recipient's server or carrier refused it. */
  BOUNCED = 'bounced',
  /** The recipient answered. */
  REPLIED = 'replied',
  /** Withdrawn before sending: the appointment was cancelled or moved, the rule withdrawn. */
  CANCELLED = 'cancelled',
  /** Not sent by a policy decision (no consent, opted out, pointless by now): `reasonCode` says which. */
  SKIPPED = 'skipped',
}
registerEnumType(ScheduledMessageStatus, {
  name: 'ScheduledMessageStatus',
  description: 'Where a planned patient message stands, from planning to the answer.',
});

/** Statuses of a message not yet handed to a channel (what a cancel or a move still changes). */
export const PENDING_STATUSES: readonly ScheduledMessageStatus[] = [
  ScheduledMessageStatus.SCHEDULED,
  ScheduledMessageStatus.DEFERRED,
];
