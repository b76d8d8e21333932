/**
 * Stable codes of the errors a delivery channel raises. Documented in plugins/engagement/README.md
 * ("Channels").
 */
export const DeliveryErrorCode = {
  /** The provider refused the message for now (SMTP 4xx, HTTP 429 or 5xx): retry later. */
  DEFERRED: 'CG_ERR_ENGAGEMENT_DELIVERY_DEFERRED',
  /** The provider refused the message for good (SMTP 5xx, a bounce; HTTP 4xx): do not retry. */
  REJECTED: 'CG_ERR_ENGAGEMENT_DELIVERY_REJECTED',
  /** The provider could not be reached (refused, reset, DNS, TLS handshake): retry later. */
  UNAVAILABLE: 'CG_ERR_ENGAGEMENT_CHANNEL_UNAVAILABLE',
  /** The provider did not answer in time: retry later (it may have accepted the message). */
  TIMEOUT: 'CG_ERR_ENGAGEMENT_CHANNEL_TIMEOUT',
  /** The channel's credentials or configuration are wrong or refused: fix them, do not retry. */
  MISCONFIGURED: 'CG_ERR_ENGAGEMENT_CHANNEL_MISCONFIGURED',
  /** The provider accepted the request but its answer names no message id. */
  INVALID_RESPONSE: 'CG_ERR_ENGAGEMENT_PROVIDER_INVALID_RESPONSE',
  /** `send` after `close`. */
  CLOSED: 'CG_ERR_ENGAGEMENT_CHANNEL_CLOSED',
} as const;
export type DeliveryErrorCode = (typeof DeliveryErrorCode)[keyof typeof DeliveryErrorCode];

const RETRYABLE: ReadonlySet<DeliveryErrorCode> = new Set([
  DeliveryErrorCode.DEFERRED,
  DeliveryErrorCode.UNAVAILABLE,
  DeliveryErrorCode.TIMEOUT,
]);

/**
 * Why a channel could not deliver a message. `code` is stable, `retryable` follows from it.
 * `message` and `details` never hold the recipient, the body or the provider's response text
 * (they may name the address): only the channel, status codes and reasons.
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
    this.retryable = RETRYABLE.has(code);
  }

  /** A temporary refusal; `status` is the SMTP reply code or HTTP status. */
  static deferred(channel: string, status: number, details: Record<string, unknown> = {}) {
    return new DeliveryError(
      DeliveryErrorCode.DEFERRED,
      `The ${channel} provider deferred the message (${status}); it will be retried.`,
      { channel, status, ...details },
    );
  }

  /**
   * A permanent refusal (a bounce): `status` is the SMTP reply code or HTTP status, or the reason
   * the library refused the message before the provider saw it (`EENVELOPE`: no valid address).
   */
  static rejected(channel: string, status: number | string, details: Record<string, unknown> = {}) {
    return new DeliveryError(
      DeliveryErrorCode.REJECTED,
      `The ${channel} provider rejected the message (${status}).`,
      typeof status === 'number'
        ? { channel, status, ...details }
        : { channel, reason: status, ...details },
    );
  }

  /** The provider could not be reached; `reason` is a system or library error code. */
  static unavailable(channel: string, reason: string, cause?: unknown) {
    return new DeliveryError(
      DeliveryErrorCode.UNAVAILABLE,
      `The ${channel} provider could not be reached (${reason}).`,
      { channel, reason },
      { cause },
    );
  }

  /** No answer within `timeoutMs`. */
  static timeout(channel: string, timeoutMs: number | undefined, cause?: unknown) {
    return new DeliveryError(
      DeliveryErrorCode.TIMEOUT,
      `The ${channel} provider did not answer in time${timeoutMs ? ` (${timeoutMs} ms)` : ''}.`,
      timeoutMs ? { channel, timeoutMs } : { channel },
      { cause },
    );
  }

  /** Credentials or configuration wrong or refused; `reason` says which (`auth`, `401`, a key). */
  static misconfigured(channel: string, reason: string, details: Record<string, unknown> = {}) {
    return new DeliveryError(
      DeliveryErrorCode.MISCONFIGURED,
      `The ${channel} channel is misconfigured or its credentials were refused (${reason}).`,
      { channel, reason, ...details },
    );
  }

  /** A success answer without a message id. */
  static invalidResponse(channel: string, status: number) {
    return new DeliveryError(
      DeliveryErrorCode.INVALID_RESPONSE,
      `The ${channel} provider answered ${status} without a message id.`,
      { channel, status },
    );
  }

  /** The channel was closed. */
  static closed(channel: string) {
    return new DeliveryError(DeliveryErrorCode.CLOSED, `The ${channel} channel is closed.`, {
      channel,
    });
  }
}
