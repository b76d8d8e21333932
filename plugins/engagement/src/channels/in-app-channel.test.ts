import type { OutgoingMessage } from './channel.js';
import { DeliveryError, DeliveryErrorCode } from './delivery-error.js';
import { inAppChannel } from './in-app-channel.js';
import { rejection } from '../testing/delivery-rejection.js';

const message: OutgoingMessage = {
  to: '3f2b9c1e-0000-4000-8000-000000000001',
  subject: 'Your care plan changed',
  text: 'Your care team updated your care plan. Open the app to see it.',
  idempotencyKey: 'care-plan:cp-1:v3',
};

it('hands the message to the callback and answers the id it returns', async () => {
  const delivered: OutgoingMessage[] = [];
  const channel = inAppChannel(async (sent) => {
    delivered.push(sent);
    return 'in-app-42';
  });

  expect(channel.name).toBe('in-app');
  expect(await channel.send(message)).toEqual({ providerMessageId: 'in-app-42' });
  expect(delivered).toEqual([message]);
});

it("passes the callback's delivery error through, and makes any other failure retryable", async () => {
  const rejected = DeliveryError.rejected('in-app', 404, { reason: 'no such patient' });
  const permanent = await rejection(inAppChannel(() => Promise.reject(rejected)).send(message));
  const passing = await rejection(
    inAppChannel(() => Promise.reject(new Error('publish failed'))).send(message),
  );

  expect(permanent).toBe(rejected);
  expect(permanent.retryable).toBe(false);
  expect(passing.code).toBe(DeliveryErrorCode.UNAVAILABLE);
  expect(passing.retryable).toBe(true);
  expect((passing.cause as Error).message).toBe('publish failed');
});

it('refuses to send once closed, without calling the callback', async () => {
  let calls = 0;
  const channel = inAppChannel(async () => {
    calls += 1;
    return 'id';
  });
  await channel.close();

  expect((await rejection(channel.send(message))).code).toBe(DeliveryErrorCode.CLOSED);
  expect(calls).toBe(0);
});
