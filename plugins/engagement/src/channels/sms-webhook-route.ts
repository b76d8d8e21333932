import type { PluginContext, PluginHttpResponse, PluginRoute } from '@caregraph/plugin-sdk';
import { parseSmsWebhook, type SmsWebhookEvent } from './sms-webhook-event.js';
import { TWILIO_SIGNATURE_HEADER, verifyTwilioSignature } from './webhook-signature.js';

/** What the route needs from the plugin's config when a request arrives. */
export interface SmsWebhookSettings {
  /**
   * The URL exactly as configured at the provider (and sent as `StatusCallback`), query string
   * included: the provider signs the URL it called, which the hub behind a proxy cannot rebuild.
   */
  webhookUrl: string;
  /** The provider's auth token, the signature's key. */
  authToken: string;
}

/** Options of `smsWebhookRoute`. */
export interface SmsWebhookRouteOptions {
  /** Below the plugin's prefix; default `/sms/webhook`. */
  path?: string;
  /** The settings of a request, usually from `ctx.config`; none: SMS is not set up (404). */
  settings(ctx: PluginContext): SmsWebhookSettings | undefined;
  /**
   * What to do with a verified event (record a receipt, act on a reply). The provider gets its
   * answer once this resolves; a throw answers 500 (the hub logs it), so keep it short and durable.
   */
  onEvent(event: SmsWebhookEvent, ctx: PluginContext): Promise<void>;
}

/** An empty TwiML document: the reply is handled, the provider sends nothing back on its own. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

function refuse(status: number, code: string, message: string): PluginHttpResponse {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

/**
 * A plugin route for an SMS provider's webhook: inbound replies and delivery receipts, as
 * Twilio-style form posts signed with `X-Twilio-Signature`. 403 without a valid signature, 415
 * for a body that is not a form, 400 naming a missing parameter; then the event goes to
 * `onEvent`, and the route answers an empty TwiML document (a reply) or 204 (a receipt).
 */
export function smsWebhookRoute(options: SmsWebhookRouteOptions): PluginRoute {
  return {
    method: 'POST',
    path: options.path ?? '/sms/webhook',
    bodyLimitBytes: 64 * 1024,
    async handler(request, ctx) {
      const settings = options.settings(ctx);
      // Never verify against a missing key: without settings there is nothing to accept.
      if (!settings?.authToken) return refuse(404, 'NOT_FOUND', 'SMS is not configured.');
      const { webhookUrl, authToken } = settings;
      const contentType = request.headers['content-type'] ?? '';
      const params = /^application\/x-www-form-urlencoded\b/i.test(contentType)
        ? new URLSearchParams(request.rawBody.toString('utf8'))
        : undefined;
      const signature = request.headers[TWILIO_SIGNATURE_HEADER];
      if (!verifyTwilioSignature(webhookUrl, params ?? new URLSearchParams(), signature, authToken))
        return refuse(403, 'FORBIDDEN', `Missing or invalid ${TWILIO_SIGNATURE_HEADER} header.`);
      if (!params)
        return refuse(415, 'UNSUPPORTED_MEDIA_TYPE', 'Expected application/x-www-form-urlencoded.');
      const event = parseSmsWebhook(params);
      if ('error' in event) return refuse(400, 'BAD_REQUEST', event.error);
      await options.onEvent(event, ctx);
      return event.kind === 'reply'
        ? { status: 200, headers: { 'content-type': 'text/xml' }, body: EMPTY_TWIML }
        : { status: 204 };
    },
  };
}
