/**
 * Issue 6: the SMS channel against a real HTTP server (node:http) on a free port, answering as
 * a Twilio-style provider.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryChannel } from './channel.js';
import { DeliveryErrorCode } from './delivery-error.js';
import { smsHttpChannel, type SmsHttpChannelConfig } from './sms-http-channel.js';
import { rejection } from '../testing/delivery-rejection.js';

interface Request {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

type Answer = (res: ServerResponse) => void;

interface Provider {
  baseUrl: string;
  requests: Request[];
  answer: Answer;
  close(): Promise<void>;
}

const created: Answer = (res) => {
  res.writeHead(201, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' }));
};

function json(status: number, body: unknown): Answer {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

async function startProvider(): Promise<Provider> {
  const provider: Provider = {
    baseUrl: '',
    requests: [],
    answer: created,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      provider.requests.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      provider.answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  provider.baseUrl = `http://127.0.0.1:${port}/2010-04-01`;
  provider.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return provider;
}

const message = {
  to: '+15005550006',
  subject: 'ignored by SMS',
  text: 'Reminder: appointment tomorrow 09:30. Reply C to confirm, R to reschedule, STOP to opt out.',
  idempotencyKey: 'reminder:appt-1:24h',
};

let provider: Provider;
let channel: DeliveryChannel;

beforeEach(async () => {
  provider = await startProvider();
});

afterEach(async () => {
  await channel?.close();
  await provider.close();
});

function channelTo(config: Partial<SmsHttpChannelConfig> = {}): DeliveryChannel {
  channel = smsHttpChannel({
    baseUrl: provider.baseUrl,
    accountId: 'AC00000000000000000000000000000001',
    authToken: 'the-auth-token',
    from: '+15005550001',
    statusCallbackUrl: 'https://hub.example.org/plugins/engagement/sms/webhook',
    timeoutMs: 2_000,
    ...config,
  });
  return channel;
}

it('posts a form-encoded Twilio-style request with Basic auth and returns the sid', async () => {
  const receipt = await channelTo().send(message);

  expect(receipt.providerMessageId).toBe('SM0123456789abcdef0123456789abcdef');
  expect(provider.requests).toHaveLength(1);
  const [request] = provider.requests;
  expect(request!.method).toBe('POST');
  expect(request!.url).toBe(
    '/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json',
  );
  expect(request!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  expect(request!.headers.authorization).toBe(
    `Basic ${Buffer.from('AC00000000000000000000000000000001:the-auth-token').toString('base64')}`,
  );
  expect(request!.headers['idempotency-key']).toBe('reminder:appt-1:24h');
  expect(Object.fromEntries(request!.form)).toEqual({
    To: '+15005550006',
    From: '+15005550001',
    Body: message.text,
    StatusCallback: 'https://hub.example.org/plugins/engagement/sms/webhook',
  });
});

it('uses an API key as the Basic user when one is configured, and omits an unset StatusCallback', async () => {
  await channelTo({ username: 'SK0001', statusCallbackUrl: undefined }).send(message);

  const [request] = provider.requests;
  expect(request!.headers.authorization).toBe(
    `Basic ${Buffer.from('SK0001:the-auth-token').toString('base64')}`,
  );
  expect(request!.form.has('StatusCallback')).toBe(false);
});

it.each([429, 500, 503])('reports HTTP %i as retryable', async (status) => {
  provider.answer = json(status, { code: 20429, message: 'Too Many Requests' });
  const error = await rejection(channelTo().send(message));

  expect(error.code).toBe(DeliveryErrorCode.DEFERRED);
  expect(error.retryable).toBe(true);
  expect(error.details).toMatchObject({ channel: 'sms', status });
});

it('reports another 4xx as a permanent rejection with the provider code, not its message', async () => {
  provider.answer = json(400, {
    code: 21211,
    message: "The 'To' number +15005550006 is not a valid phone number.",
    status: 400,
  });
  const error = await rejection(channelTo().send(message));

  expect(error.code).toBe(DeliveryErrorCode.REJECTED);
  expect(error.retryable).toBe(false);
  expect(error.details).toEqual({ channel: 'sms', status: 400, providerCode: 21211 });
  expect(error.message).not.toContain('+15005550006');
});

it('reports refused credentials (401) as a permanent configuration error', async () => {
  provider.answer = json(401, { code: 20003, message: 'Authenticate' });
  const error = await rejection(channelTo().send(message));

  expect(error.code).toBe(DeliveryErrorCode.MISCONFIGURED);
  expect(error.retryable).toBe(false);
});

it('times out a provider that does not answer, as retryable', async () => {
  provider.answer = () => undefined; // holds the request open
  const error = await rejection(channelTo({ timeoutMs: 200 }).send(message));

  expect(error.code).toBe(DeliveryErrorCode.TIMEOUT);
  expect(error.retryable).toBe(true);
  expect(error.details).toMatchObject({ timeoutMs: 200 });
});

it('reports a refused connection as retryable', async () => {
  const baseUrl = provider.baseUrl;
  await provider.close();
  const error = await rejection(channelTo({ baseUrl }).send(message));

  expect(error.code).toBe(DeliveryErrorCode.UNAVAILABLE);
  expect(error.retryable).toBe(true);
  expect(error.details.reason).toBe('ECONNREFUSED');
});

it('reports a success answer without a sid as an invalid response', async () => {
  provider.answer = json(201, { status: 'queued' });
  const error = await rejection(channelTo().send(message));

  expect(error.code).toBe(DeliveryErrorCode.INVALID_RESPONSE);
  expect(error.retryable).toBe(false);
});

it('aborts a pending request on close and refuses later sends', async () => {
  provider.answer = () => undefined;
  const sms = channelTo({ timeoutMs: 5_000 });
  const pending = rejection(sms.send(message));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await sms.close();

  expect((await pending).code).toBe(DeliveryErrorCode.CLOSED);
  expect((await rejection(sms.send(message))).code).toBe(DeliveryErrorCode.CLOSED);
});
