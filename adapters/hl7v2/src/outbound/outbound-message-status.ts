import { registerEnumType } from 'type-graphql';

/** Where an outbound message stands. */
export enum OutboundMessageStatus {
  /** Waiting to be sent (first attempt, or a retry after a timeout or a connection failure). */
  QUEUED = 'queued',
  /** Written to the destination; its ACK is awaited (one message per destination at a time). */
  SENT = 'sent',
  /** The destination answered AA (or CA). */
  ACKNOWLEDGED = 'acknowledged',
  /**
   * An acknowledgement (an application ACK sent on a link of the hub's own) written to the
   * destination: HL7 does not acknowledge acknowledgements, so being written is its delivery.
   */
  DELIVERED = 'delivered',
  /** NAKed (AE, AR, CE, CR) or out of attempts: in the outbound error queue, retried by an operator only. */
  ERROR = 'error',
}
registerEnumType(OutboundMessageStatus, {
  name: 'OutboundMessageStatus',
  description: 'Where an outbound HL7 message stands.',
});

/** Statuses of messages still to be delivered, oldest first (the head of a destination's queue). */
export const PENDING_STATUSES: readonly OutboundMessageStatus[] = [
  OutboundMessageStatus.QUEUED,
  OutboundMessageStatus.SENT,
];
