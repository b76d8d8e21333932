import type { PluginContext, PluginHttpRequest } from '@caregraph/plugin-sdk';
import type { SmsWebhookEvent } from './sms-webhook-event.js';
import { smsWebhookRoute } from './sms-webhook-route.js';
import { twilioSignature } from './webhook-signature.js';

const settings = {
  webhookUrl: 'https://hub.example.org/plugins/engagement/sms/webhook',
  authToken: 'the-auth-token',
};
const ctx = { config: settings } as unknown as PluginContext;

function routeCollecting(events: SmsWebhookEvent[]) {
  return smsWebhookRoute({
    settings: (context) => context.config as typeof settings,
    onEvent: async (event) => {
      events.push(event);
    },
  });
}

function request(
  form: Record<string, string>,
  headers: Record<string, string | undefined> = {},
): PluginHttpRequest {
  const params = new URLSearchParams(form);
  return {
    method: 'POST',
    path: '/sms/webhook',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(settings.webhookUrl, params, settings.authToken),
      ...headers,
    },
    query: {},
    body: undefined,
    rawBody: Buffer.from(params.toString()),
  };
}

const reply = {
  MessageSid: 'SM1',
  SmsSid: 'SM1',
  From: '+15005550006',
  To: '+15005550001',
  Body: 'C',
};

it('hands a signed reply to the callback and answers empty TwiML', async () => {
  const events: SmsWebhookEvent[] = [];
  const answer = await routeCollecting(events).handler(request(reply), ctx);

  expect(answer.status).toBe(200);
  expect(answer.headers).toEqual({ 'content-type': 'text/xml' });
  expect(answer.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  expect(events).toEqual([
    { kind: 'reply', from: '+15005550006', body: 'C', providerMessageId: 'SM1' },
  ]);
});

it.each([
  ['queued', 'queued'],
  ['sending', 'sent'],
  ['sent', 'sent'],
  ['delivered', 'delivered'],
  ['read', 'delivered'],
  ['undelivered', 'undelivered'],
  ['failed', 'failed'],
])('hands a signed %s receipt to the callback as %s, answering 204', async (reported, status) => {
  const events: SmsWebhookEvent[] = [];
  const answer = await routeCollecting(events).handler(
    request({ MessageSid: 'SM2', MessageStatus: reported, SmsStatus: reported }),
    ctx,
  );

  expect(answer.status).toBe(204);
  expect(events).toEqual([{ kind: 'status', providerMessageId: 'SM2', status }]);
});

it('carries the error code of an undelivered message', async () => {
  const events: SmsWebhookEvent[] = [];
  await routeCollecting(events).handler(
    request({ MessageSid: 'SM3', MessageStatus: 'undelivered', ErrorCode: '30003' }),
    ctx,
  );
  expect(events).toEqual([
    { kind: 'status', providerMessageId: 'SM3', status: 'undelivered', errorCode: '30003' },
  ]);
});

it('refuses a tampered body, a missing or a foreign signature with 403, calling nothing', async () => {
  const events: SmsWebhookEvent[] = [];
  const route = routeCollecting(events);
  const tampered = request(reply);
  tampered.rawBody = Buffer.from(tampered.rawBody.toString().replace('Body=C', 'Body=STOP'));
  const foreign = new URLSearchParams(reply);

  const answers = await Promise.all([
    route.handler(tampered, ctx),
    route.handler(request(reply, { 'x-twilio-signature': undefined }), ctx),
    route.handler(
      request(reply, { 'x-twilio-signature': twilioSignature(settings.webhookUrl, foreign, 'x') }),
      ctx,
    ),
  ]);
  expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403]);
  expect(answers[0]!.body).toEqual({
    errors: [
      {
        message: 'Missing or invalid x-twilio-signature header.',
        extensions: { code: 'FORBIDDEN' },
      },
    ],
  });
  expect(events).toEqual([]);
});

it('refuses a signed body that is not a form (415) or lacks a parameter (400, by name only)', async () => {
  const events: SmsWebhookEvent[] = [];
  const route = routeCollecting(events);
  const json = {
    ...request({}),
    headers: {
      'content-type': 'application/json',
      'x-twilio-signature': twilioSignature(
        settings.webhookUrl,
        new URLSearchParams(),
        settings.authToken,
      ),
    },
    rawBody: Buffer.from('{"Body":"C"}'),
  };
  const unknownStatus = await route.handler(
    request({ MessageSid: 'SM4', MessageStatus: 'lost-in-space' }),
    ctx,
  );
  const noSid = await route.handler(request({ From: '+15005550006', Body: 'C' }), ctx);

  expect((await route.handler(json, ctx)).status).toBe(415);
  expect(unknownStatus).toMatchObject({ status: 400 });
  expect(JSON.stringify(unknownStatus.body)).toContain('MessageStatus is not a known status.');
  expect(JSON.stringify(unknownStatus.body)).not.toContain('lost-in-space');
  expect(noSid).toMatchObject({ status: 400 });
  expect(JSON.stringify(noSid.body)).toContain('MessageSid is missing.');
  expect(events).toEqual([]);
});

it('mounts at /sms/webhook by default, or at the path given', () => {
  expect(routeCollecting([]).path).toBe('/sms/webhook');
  expect(
    smsWebhookRoute({ path: '/twilio', settings: () => settings, onEvent: async () => undefined })
      .path,
  ).toBe('/twilio');
});

it('answers 404 and hands nothing on while SMS is not configured, even to an empty-key signature', async () => {
  const events: SmsWebhookEvent[] = [];
  const route = smsWebhookRoute({
    settings: () => undefined,
    onEvent: async (event) => {
      events.push(event);
    },
  });
  const form = { MessageSid: 'SM1', From: '+15550100', Body: 'STOP' };
  const signedWithNoKey = twilioSignature(settings.webhookUrl, new URLSearchParams(form), '');
  const response = await route.handler(
    request(form, { 'x-twilio-signature': signedWithNoKey }),
    ctx,
  );
  expect(response.status).toBe(404);
  expect(events).toEqual([]);
});
