import type { DeliveryChannel, OutgoingMessage, SendReceipt } from './channel.js';
import { DeliveryError } from './delivery-error.js';

/**
 * Stores or publishes an in-app message (the plugin wires it to a care event the patient's
 * subscription receives) and resolves with the message's id. It may throw a `DeliveryError`
 * to say how it failed; any other throw is taken as a passing failure (retryable).
 */
export type InAppDeliver = (message: OutgoingMessage) => Promise<string>;

const CHANNEL = 'in-app';

/** In-app messages behind the same interface as email and SMS: a thin adapter of `deliver`. */
export function inAppChannel(deliver: InAppDeliver): DeliveryChannel {
  let closed = false;
  return {
    name: CHANNEL,
    async send(message: OutgoingMessage): Promise<SendReceipt> {
      if (closed) throw DeliveryError.closed(CHANNEL);
      try {
        return { providerMessageId: await deliver(message) };
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        throw DeliveryError.unavailable(CHANNEL, 'delivery failed', error);
      }
    },
    async close() {
      closed = true;
    },
  };
}
