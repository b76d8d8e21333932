import type { PluginWriteScope } from '@caregraph/plugin-sdk';
import { parseMessage } from '../message/index.js';
import { messageTypeOf } from '../store/message-store.js';
import type { IntegrationMessage } from '../store/integration-message.js';
import { OutboundMessage } from './outbound-message.js';

/** `sourceEventType` of an application ACK in the outbound queue. */
export const APPLICATION_ACK_SOURCE = 'ApplicationAck';

/** Whether an outbound message is an acknowledgement (MSH-9 `ACK`): it gets no answer. */
export function isAcknowledgement(messageType: string): boolean {
  return messageType === 'ACK' || messageType.startsWith('ACK^');
}

/**
 * Queues, inside the write, the application ACK `ack` of the stored message `row` on
 * `destination`: one row per destination and message (`sourceEventId` is the message's id, under
 * the queue's unique key), the ACK as built (its MSH-10 is its control id), audited. Returns
 * false when it was queued already.
 */
export async function queueApplicationAck(
  w: PluginWriteScope,
  row: Pick<IntegrationMessage, 'id' | 'tenantId' | 'patientId'>,
  destination: string,
  ack: string,
): Promise<boolean> {
  if (await w.em.findOne(OutboundMessage, { destination, sourceEventId: row.id })) return false;
  const parsed = parseMessage(ack);
  const messageType = messageTypeOf(parsed);
  const record = `IntegrationMessage/${row.id}`;
  w.em.create(OutboundMessage, {
    tenantId: row.tenantId,
    destination,
    controlId: parsed.header.controlId,
    messageType,
    text: ack,
    sourceEventId: row.id,
    sourceEventType: APPLICATION_ACK_SOURCE,
    patientId: row.patientId,
    record,
  });
  w.audit({
    action: 'E',
    type: 'hl7.outbound.queue',
    entity: record,
    patientId: row.patientId,
    detail: { destination, messageType },
  });
  return true;
}
