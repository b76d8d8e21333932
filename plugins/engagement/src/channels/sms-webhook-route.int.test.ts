/**
 * Issue 6: the SMS webhook route mounted by a real hub (the test kit), so the form body, the
 * signature header and the answers travel through the hub's HTTP server as a provider's would.
 */
import { definePlugin } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import type { SmsWebhookEvent } from './sms-webhook-event.js';
import { smsWebhookRoute } from './sms-webhook-route.js';
import { TWILIO_SIGNATURE_HEADER, twilioSignature } from './webhook-signature.js';

const PATH = '/plugins/engagement-sms-fixture/sms/webhook';
const authToken = 'the-auth-token';
const events: SmsWebhookEvent[] = [];
let hub: PluginTestHub;
let webhookUrl = '';

const fixture = definePlugin({
  id: 'engagement-sms-fixture',
  version: '1.0.0',
  apiVersion: '^1.5.0',
  routes: [
    smsWebhookRoute({
      settings: () => ({ webhookUrl, authToken }),
      onEvent: async (event) => {
        events.push(event);
      },
    }),
  ],
});

beforeAll(async () => {
  hub = await createTestHub({ plugins: [fixture] });
  webhookUrl = `${hub.baseUrl}${PATH}`;
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

beforeEach(() => {
  events.length = 0;
});

function post(body: string, signature: string | undefined) {
  return hub.fetch(PATH, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === undefined ? {} : { [TWILIO_SIGNATURE_HEADER]: signature }),
    },
    body,
  });
}

const receipt = new URLSearchParams({
  MessageSid: 'SM0123',
  MessageStatus: 'undelivered',
  ErrorCode: '30003',
});

it('accepts a signed delivery receipt and hands it to the callback', async () => {
  const res = await post(receipt.toString(), twilioSignature(webhookUrl, receipt, authToken));

  expect(res.status).toBe(204);
  expect(events).toEqual([
    { kind: 'status', providerMessageId: 'SM0123', status: 'undelivered', errorCode: '30003' },
  ]);
});

it('accepts a signed reply and answers empty TwiML', async () => {
  const reply = new URLSearchParams({ MessageSid: 'SM0456', From: '+15005550006', Body: 'STOP' });
  const res = await post(reply.toString(), twilioSignature(webhookUrl, reply, authToken));

  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
  expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  expect(events).toEqual([
    { kind: 'reply', from: '+15005550006', body: 'STOP', providerMessageId: 'SM0456' },
  ]);
});

it('refuses a tampered body with 403', async () => {
  const signature = twilioSignature(webhookUrl, receipt, authToken);
  const res = await post(receipt.toString().replace('undelivered', 'delivered'), signature);

  expect(res.status).toBe(403);
  expect(events).toEqual([]);
});

it('refuses a request without the signature header with 403', async () => {
  const res = await post(receipt.toString(), undefined);

  expect(res.status).toBe(403);
  expect(await res.json()).toEqual({
    errors: [
      {
        message: 'Missing or invalid x-twilio-signature header.',
        extensions: { code: 'FORBIDDEN' },
      },
    ],
  });
  expect(events).toEqual([]);
});
