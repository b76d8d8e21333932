import type { PluginContext, PluginWriteScope } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { ackPlan, forSender } from '../message/index.js';
import type { Hl7Message } from '../message/types.js';
import { queueApplicationAck } from '../outbound/application-ack.js';
import { scheduleSend } from '../outbound/outbound-queue.js';
import { ApplicationAckDelivery } from '../store/application-ack-delivery.js';
import type { IntegrationMessage } from '../store/integration-message.js';

/** What {@link owedApplicationAck} did, acted on once its write has committed ({@link settleLateAck}). */
export type LateAck = { kind: 'queued'; destination: string } | { kind: 'undelivered' } | undefined;

/**
 * Inside a write that holds `row` locked: the application ACK `outcome.ack` of a stored message
 * that its sender's connection could not take (the connection was gone, or the message was
 * applied with none: restart recovery, the sweep), when the message is in enhanced mode and
 * MSH-16 asks for it given the outcome. It is queued on the sender's
 * `applicationAckDestinations` entry, or else the row is marked undelivered; at most once per
 * message (`row.applicationAckDelivery` says it was done).
 */
export async function owedApplicationAck(
  w: PluginWriteScope,
  config: Hl7v2Config,
  row: IntegrationMessage,
  message: Hl7Message,
  outcome: { ok: boolean; ack: string },
): Promise<LateAck> {
  const plan = ackPlan(message.header);
  if (plan.mode !== 'enhanced' || !plan.application(outcome.ok)) return undefined;
  if (row.applicationAckDelivery) return undefined;
  const destination = forSender(message, config.applicationAckDestinations);
  if (!destination) {
    row.applicationAckDelivery = ApplicationAckDelivery.UNDELIVERED;
    return { kind: 'undelivered' };
  }
  await queueApplicationAck(w, row, destination, outcome.ack);
  row.applicationAckDelivery = ApplicationAckDelivery.QUEUED;
  return { kind: 'queued', destination };
}

/**
 * After the write of {@link owedApplicationAck} committed: schedules the destination's send, or
 * logs that the ACK is undelivered (once: only the write that marked the row returns it; ids, no PHI).
 */
export async function settleLateAck(
  ctx: PluginContext<Hl7v2Config>,
  late: LateAck,
  messageId: string,
  sender: string,
): Promise<void> {
  if (!late) return;
  if (late.kind === 'queued') {
    await scheduleSend(ctx, late.destination);
    return;
  }
  ctx.metrics.increment('application_acks_undelivered_total');
  ctx.logger.warn(
    { messageId, sender },
    'HL7 application ACK undelivered: its connection was gone and applicationAckDestinations names no destination for the sender',
  );
}
