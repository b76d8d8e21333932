import type { CareEventMessage } from '@caregraph/schema';
import { BUS_GAP, QUEUE_OVERFLOW, type BusDelivery } from './bounded-event-queue.js';
import type { EventAudience } from './event-audience.js';
import type { EventMetrics } from './event-metrics.js';
import { LocalFanout, type BusSubscribeOptions } from './local-fanout.js';

export { BUS_GAP, QUEUE_OVERFLOW, type BusDelivery } from './bounded-event-queue.js';
export { DEFAULT_SUBSCRIBER_QUEUE, LocalFanout, type BusSubscribeOptions } from './local-fanout.js';

/** Publishes committed domain events and lets subscribers follow a tenant's stream. */
export interface EventBus {
  /** Rejects when the event could not be handed to the bus (the relay retries it). */
  publish(event: CareEventMessage): Promise<void>;
  /**
   * Events of one tenant, as they are published, until `signal` aborts. The subscription is
   * registered when this returns (events published afterwards are queued for it).
   */
  subscribe(
    tenantId: string,
    signal: AbortSignal,
    options?: BusSubscribeOptions,
  ): AsyncIterable<BusDelivery>;
  /** Subscriptions of this process that are live now (of one tenant, or all). */
  activeSubscriptions(tenantId?: string): number;
  close(): Promise<void>;
}

/**
 * What both buses share: this instance's subscriptions live in a `LocalFanout`, which routes
 * each event the bus delivers here to the subscriptions it can be for.
 */
export abstract class FanoutEventBus implements EventBus {
  protected readonly fanout: LocalFanout;

  /** `audience`: routes each event to the subscriptions it can be for (default: all of them). */
  constructor(metrics?: EventMetrics, audience?: EventAudience) {
    this.fanout = new LocalFanout(metrics, audience);
  }

  abstract publish(event: CareEventMessage): Promise<void>;

  subscribe(
    tenantId: string,
    signal: AbortSignal,
    options?: BusSubscribeOptions,
  ): AsyncIterable<BusDelivery> {
    return this.fanout.subscribe(tenantId, signal, options);
  }

  activeSubscriptions(tenantId?: string): number {
    return this.fanout.size(tenantId);
  }

  async close(): Promise<void> {
    this.fanout.close();
  }
}

/** Delivers events to subscribers in this process (the embedded default). */
export class InProcessEventBus extends FanoutEventBus {
  async publish(event: CareEventMessage): Promise<void> {
    this.fanout.deliver(event);
  }
}

/**
 * The events of a bus subscription without its signals, each once: positions at or below the
 * last one yielded are skipped (the relay publishes at least once). For consumers that do not
 * resync or catch up (plugin handlers, test recorders); a subscription that overflowed ends.
 */
export async function* careEventMessages(
  deliveries: AsyncIterable<BusDelivery>,
): AsyncGenerator<CareEventMessage> {
  let position = 0;
  for await (const delivery of deliveries) {
    if (delivery === QUEUE_OVERFLOW) return;
    if (delivery === BUS_GAP) continue;
    if (delivery.position !== undefined) {
      if (delivery.position <= position) continue;
      position = delivery.position;
    }
    yield delivery;
  }
}
