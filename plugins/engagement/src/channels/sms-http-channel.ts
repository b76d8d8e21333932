import type { DeliveryChannel, OutgoingMessage, SendReceipt } from './channel.js';
import { DeliveryError } from './delivery-error.js';

/** The SMS channel's settings (the plugin config's `channels.sms`). */
export interface SmsHttpChannelConfig {
  /** The provider's API root; default Twilio's, `https://api.twilio.com/2010-04-01`. */
  baseUrl?: string;
  /** The account the messages are sent from (Twilio: the Account SID); in the request path. */
  accountId: string;
  /** HTTP Basic user; default `accountId` (Twilio: an API key SID can stand in). */
  username?: string;
  /** HTTP Basic password (Twilio: the auth token or the API key secret). */
  authToken: string;
  /** The sender: an E.164 number, a short code or a messaging service the provider knows. */
  from: string;
  /** Where the provider posts delivery receipts (the plugin's SMS webhook route, public URL). */
  statusCallbackUrl?: string;
  /** How long a request may take, in ms (default 10 000). */
  timeoutMs?: number;
}

export const TWILIO_API_BASE_URL = 'https://api.twilio.com/2010-04-01';
const CHANNEL = 'sms';

/** A numeric provider error code from an error body (`{ "code": 21211 }`): a reason, no PHI. */
async function providerErrorCode(response: Response): Promise<Record<string, unknown>> {
  try {
    const body = (await response.json()) as { code?: unknown };
    return typeof body.code === 'number' ? { providerCode: body.code } : {};
  } catch {
    return {};
  }
}

function errorOfStatus(status: number, details: Record<string, unknown>): DeliveryError {
  if (status === 429 || status >= 500) return DeliveryError.deferred(CHANNEL, status, details);
  if (status === 401 || status === 403)
    return DeliveryError.misconfigured(CHANNEL, String(status), details);
  return DeliveryError.rejected(CHANNEL, status, details);
}

function errorOfFailedRequest(error: unknown, timeoutMs: number): DeliveryError {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError') return DeliveryError.timeout(CHANNEL, timeoutMs, error);
  if (name === 'AbortError') return DeliveryError.closed(CHANNEL);
  // fetch's TypeError: the system reason (ECONNREFUSED, ENOTFOUND) is on its cause.
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return DeliveryError.unavailable(
    CHANNEL,
    typeof cause?.code === 'string' ? cause.code : 'fetch failed',
    error,
  );
}

/**
 * SMS through a provider's HTTP API, in the shape Twilio defined and others copy: a form-encoded
 * `POST {baseUrl}/Accounts/{accountId}/Messages.json` with `To`, `From`, `Body` and
 * `StatusCallback`, HTTP Basic auth, and the message's `sid` in the JSON answer. 429 and 5xx are
 * retryable, 401/403 a configuration error, any other 4xx a permanent rejection. The request
 * carries the send's idempotency key as `Idempotency-Key`, for providers that deduplicate by it
 * (Twilio does not: a retry after a timeout may send twice there).
 */
export function smsHttpChannel(config: SmsHttpChannelConfig): DeliveryChannel {
  const baseUrl = (config.baseUrl ?? TWILIO_API_BASE_URL).replace(/\/+$/, '');
  const url = `${baseUrl}/Accounts/${encodeURIComponent(config.accountId)}/Messages.json`;
  const credentials = Buffer.from(`${config.username ?? config.accountId}:${config.authToken}`);
  const authorization = `Basic ${credentials.toString('base64')}`;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const closing = new AbortController();

  return {
    name: CHANNEL,
    async send(message: OutgoingMessage): Promise<SendReceipt> {
      if (closing.signal.aborted) throw DeliveryError.closed(CHANNEL);
      const form = new URLSearchParams({ To: message.to, From: config.from, Body: message.text });
      if (config.statusCallbackUrl) form.set('StatusCallback', config.statusCallbackUrl);
      let sid: unknown;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization,
            accept: 'application/json',
            'idempotency-key': message.idempotencyKey,
          },
          body: form,
          signal: AbortSignal.any([closing.signal, AbortSignal.timeout(timeoutMs)]),
        });
        if (!response.ok) throw errorOfStatus(response.status, await providerErrorCode(response));
        const text = await response.text();
        try {
          sid = (JSON.parse(text) as { sid?: unknown }).sid;
        } catch {
          sid = undefined;
        }
        if (typeof sid !== 'string' || !sid)
          throw DeliveryError.invalidResponse(CHANNEL, response.status);
      } catch (error) {
        throw error instanceof DeliveryError ? error : errorOfFailedRequest(error, timeoutMs);
      }
      return { providerMessageId: sid };
    },
    async close() {
      closing.abort();
    },
  };
}
