/** Outbound HL7: SIU messages to downstream systems over MLLP from a durable queue. */
export { SIU_EVENT_TYPES, outboundDestinationSchema, outboundSchema } from './outbound-config.js';
export type { OutboundDestination, SiuEventName } from './outbound-config.js';
export { OutboundErrorCode } from './outbound-error.js';
export { OutboundMessage } from './outbound-message.js';
export { OutboundMessageStatus } from './outbound-message-status.js';
export { OutboundMessageResolver } from './outbound-message-resolver.js';
export { OutboundProducer, OUTBOUND_SUBSCRIPTION } from './outbound-producer.js';
export { OUTBOUND_SEND_JOB, scheduleSend } from './outbound-queue.js';
export { outboundSendJob } from './outbound-sender.js';
export { readAck } from './ack-outcome.js';
export type { AckOutcome } from './ack-outcome.js';
export { retryDelayMs } from './retry-policy.js';
export { siuTriggerOf, writeSiu, OUTBOUND_VERSION } from './siu-message.js';
export type { OutboundSiuTrigger, SiuInput } from './siu-message.js';
