/** Where a sent SMS is, as the provider reports it (Twilio's statuses folded into five). */
export type SmsDeliveryStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

/** What an SMS provider's webhook tells the plugin: a patient's reply, or a delivery receipt. */
export type SmsWebhookEvent =
  | { kind: 'reply'; from: string; body: string; providerMessageId: string }
  | {
      kind: 'status';
      providerMessageId: string;
      status: SmsDeliveryStatus;
      /** The provider's error code of an undelivered or failed message (Twilio: `30003`). */
      errorCode?: string;
    };

const STATUSES: Readonly<Record<string, SmsDeliveryStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Reads a Twilio-style form body: a delivery receipt carries `MessageStatus`, an inbound message
 * `From` and `Body`; both name the message by `MessageSid` (older: `SmsSid`). Answers the name
 * of the first missing or unknown parameter otherwise (never its value).
 */
export function parseSmsWebhook(params: URLSearchParams): SmsWebhookEvent | { error: string } {
  const providerMessageId = params.get('MessageSid') ?? params.get('SmsSid');
  if (!providerMessageId) return { error: 'MessageSid is missing.' };
  const reported = params.get('MessageStatus');
  if (reported !== null) {
    const status = STATUSES[reported.toLowerCase()];
    if (!status) return { error: 'MessageStatus is not a known status.' };
    const errorCode = params.get('ErrorCode');
    return errorCode
      ? { kind: 'status', providerMessageId, status, errorCode }
      : { kind: 'status', providerMessageId, status };
  }
  const from = params.get('From');
  if (!from) return { error: 'From is missing.' };
  const body = params.get('Body');
  if (body === null) return { error: 'Body is missing.' };
  return { kind: 'reply', from, body, providerMessageId };
}
