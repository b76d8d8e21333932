import { registerEnumType } from 'type-graphql';

/** Where an inbound message stands in the store. */
export enum IntegrationMessageStatus {
  /** Stored (committed), not processed yet: enhanced mode between the commit and the application ACK. */
  RECEIVED = 'received',
  /** Applied: everything it changed is committed. */
  PROCESSED = 'processed',
  /** Refused or failed: in the error queue, to reprocess or ignore. */
  ERROR = 'error',
  /** A resend of a stored message (same sender, control id and content): answered with the original outcome. */
  DUPLICATE = 'duplicate',
  /** A valid message of a type the adapter does not map: stored and acknowledged, never dropped. */
  NOT_MAPPED = 'not_mapped',
  /** Taken out of the error queue by an operator. */
  IGNORED = 'ignored',
  /** About a patient with an earlier message in the error queue: applied once that one is resolved. */
  HELD = 'held',
}
registerEnumType(IntegrationMessageStatus, {
  name: 'IntegrationMessageStatus',
  description: 'Where an inbound HL7 message stands in the message store.',
});

/** Statuses of the error queue, which hold a patient's later messages back. */
export const BLOCKING_STATUSES: readonly IntegrationMessageStatus[] = [
  IntegrationMessageStatus.ERROR,
  IntegrationMessageStatus.HELD,
];
