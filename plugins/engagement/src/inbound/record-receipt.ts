import type { EntityManager } from '@mikro-orm/sql';
import { Communication, CommunicationStatus } from '@caregraph/schema';
import type { TenantScope } from '@caregraph/plugin-sdk';
import type { SmsWebhookEvent } from '../channels/index.js';
import { ScheduledMessage } from '../store/scheduled-message.js';
import { ScheduledMessageStatus } from '../store/scheduled-message-status.js';

type Receipt = Extract<SmsWebhookEvent, { kind: 'status' }>;

/** A receipt's outcome, for messages it still moves forward (`queued`/`sent` change nothing). */
const OUTCOME: Partial<Record<Receipt['status'], [ScheduledMessageStatus, CommunicationStatus]>> = {
  delivered: [ScheduledMessageStatus.DELIVERED, CommunicationStatus.DELIVERED],
  undelivered: [ScheduledMessageStatus.BOUNCED, CommunicationStatus.BOUNCED],
  failed: [ScheduledMessageStatus.FAILED, CommunicationStatus.FAILED],
};

/**
 * Records an SMS provider's delivery receipt on the message it names (by the provider's id) and
 * on its Communication. Only a sent message moves (a receipt arriving after the recipient
 * replied changes nothing); an unknown id is ignored (another system's message).
 */
export async function recordReceipt(scope: TenantScope, receipt: Receipt): Promise<boolean> {
  const outcome = OUTCOME[receipt.status];
  if (!outcome) return false;
  return scope.write(async (w) => {
    const em = w.em as EntityManager;
    const message = await em.findOne(ScheduledMessage, {
      providerMessageId: receipt.providerMessageId,
    });
    if (!message || message.status !== ScheduledMessageStatus.SENT) return false;
    const [status, communicationStatus] = outcome;
    message.status = status;
    if (receipt.errorCode) message.reasonCode = `SMS_PROVIDER_${receipt.errorCode}`.slice(0, 64);
    if (message.communicationId) {
      const communication = await em.findOne(Communication, message.communicationId);
      if (communication) communication.status = communicationStatus;
    }
    return true;
  });
}
