import { LockMode } from '@mikro-orm/core';
import { PluginRequestError, type PluginContext, type TenantScope } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { newControlId } from '../message/index.js';
import { OutboundMessage } from './outbound-message.js';
import { OutboundMessageStatus } from './outbound-message-status.js';
import { scheduleSend } from './outbound-queue.js';
import { PATIENT_ERASED } from '../patient-data/erase-patient-data.js';

const NAK_CODES: ReadonlySet<string> = new Set(['AE', 'AR', 'CE', 'CR']);

/** The message text with another MSH-10 (the writer's `|` field separator). */
export function withControlId(text: string, controlId: string): string {
  const end = text.indexOf('\r');
  const msh = (end === -1 ? text : text.slice(0, end)).split('|');
  msh[9] = controlId;
  return msh.join('|') + (end === -1 ? '' : text.slice(end));
}

/**
 * Puts a message of the outbound error queue back in its destination's queue, as the caller
 * (audited), with its attempts reset. A message the destination NAKed gets a new control id:
 * a receiver that recognises resends would answer the old one with its old NAK. A message that
 * ran out of attempts keeps its id (the receiver may have it already). It is its destination's
 * oldest pending message, so it goes out next.
 */
export async function retryOutboundMessage(
  ctx: PluginContext<Hl7v2Config>,
  scope: TenantScope,
  id: string,
): Promise<OutboundMessage> {
  const row = await scope.write(async (w) => {
    const message = await w.em.findOne(OutboundMessage, id, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      populate: ['text'],
    });
    if (!message) throw PluginRequestError.notFound('OutboundMessage', id);
    if (message.status !== OutboundMessageStatus.ERROR)
      throw new PluginRequestError(
        'CONFLICT',
        `Only a message in the error queue is retried; this one is ${message.status}.`,
        { status: message.status },
      );
    if (message.lastErrorCode === PATIENT_ERASED)
      throw new PluginRequestError(
        'CONFLICT',
        'The patient of this message was erased; its text is gone and it is not sent again.',
        { status: message.status, lastErrorCode: PATIENT_ERASED },
      );
    if (message.ackCode && NAK_CODES.has(message.ackCode)) {
      message.controlId = newControlId();
      message.text = withControlId(message.text, message.controlId);
    }
    message.status = OutboundMessageStatus.QUEUED;
    message.attempts = 0;
    message.nextAttemptAt = undefined;
    message.ackCode = undefined;
    message.ackAt = undefined;
    w.audit({
      action: 'E',
      type: 'hl7.outbound.retry',
      entity: `OutboundMessage/${id}`,
      patientId: message.patientId,
      detail: { destination: message.destination },
    });
    return message;
  });
  await scheduleSend(ctx, row.destination);
  return row;
}
