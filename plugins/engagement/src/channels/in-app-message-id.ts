import { createHash } from 'node:crypto';
import type { OutgoingMessage } from './channel.js';

/**
 * The id of an in-app message: derived from its idempotency key, so a resend after a crash names
 * the same message. Nothing leaves the hub: the Communication the dispatcher writes is the message.
 */
export async function inAppMessageId(message: OutgoingMessage): Promise<string> {
  return `in-app:${createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 32)}`;
}
