import { registerEnumType } from 'type-graphql';

/**
 * What became of an enhanced-mode application ACK that the message's own connection could not
 * take (the connection was gone, or the message was applied by the restart recovery or the
 * sweep). Absent when it was written on that connection, or MSH-16 did not ask for it.
 */
export enum ApplicationAckDelivery {
  /** In the outbound queue of the sender's `applicationAckDestinations` entry (`outboundMessages`). */
  QUEUED = 'queued',
  /** No destination is configured for the sender: the ACK was not sent (the outcome is here). */
  UNDELIVERED = 'undelivered',
}
registerEnumType(ApplicationAckDelivery, {
  name: 'ApplicationAckDelivery',
  description:
    'What became of an enhanced-mode application ACK that could not be written on its connection.',
});
