/**
 * What the scheduler hands a delivery channel: one message to one recipient. The body is already
 * rendered from a template and checked for minimum PHI; a channel only delivers it.
 */
export interface OutgoingMessage {
  /** The recipient's address on this channel: an email address, an E.164 number, a patient id. */
  to: string;
  /** The subject line (email); SMS and in-app channels may ignore it. */
  subject: string;
  /** The plain-text body. */
  text: string;
  /** An HTML alternative of the body (email only). */
  html?: string;
  /**
   * Stable for one logical send (e.g. `reminder:<appointmentId>:24h`): a retry of the same send
   * carries the same key, so the channel (or its provider) can recognise it.
   */
  idempotencyKey: string;
}

/** What a channel answers once the provider accepted a message. */
export interface SendReceipt {
  /**
   * The provider's id of the message: the SMTP Message-ID, the SMS provider's `sid`, the in-app
   * message's id. Delivery receipts and replies name it.
   */
  providerMessageId: string;
}

/**
 * One way of delivering messages (email, SMS, in-app; vendors add their own). `send` resolves once
 * the provider accepted the message, and rejects with a `DeliveryError` whose `retryable` tells
 * the scheduler whether to try again later or to record the message as failed or bounced.
 */
export interface DeliveryChannel {
  /** The channel's name, e.g. `email`, `sms`, `in-app`. */
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendReceipt>;
  /** Releases connections; later sends reject with `CG_ERR_ENGAGEMENT_CHANNEL_CLOSED`. */
  close(): Promise<void>;
}
