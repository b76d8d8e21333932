import { EventEmitter } from 'node:events';
import type { CareEventMessage } from '@caregraph/schema';
import {
  BoundedEventQueue,
  BUS_GAP,
  QUEUE_OVERFLOW,
  type BusDelivery,
} from './bounded-event-queue.js';
import { NO_EVENT_METRICS, type EventMetrics } from './event-metrics.js';

export { BUS_GAP, QUEUE_OVERFLOW, type BusDelivery } from './bounded-event-queue.js';

/** What a subscriber asks of the bus. */
export interface BusSubscribeOptions {
  /** Most events waiting for this subscriber; past it the backlog is dropped (`QUEUE_OVERFLOW`). */
  maxQueue?: number;
}

/** Default per-subscription queue bound when none is given. */
export const DEFAULT_SUBSCRIBER_QUEUE = 1000;

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
  /** Subscriptions of this process that are live now. */
  activeSubscriptions(): number;
  close(): Promise<void>;
}

/**
 * Fans events out to this process's subscribers, one bounded queue each: a slow subscriber's
 * queue overflows on its own and never holds up the others.
 */
export class LocalFanout {
  /** One listener per live subscription, by `tenant:<id>` (tests count them). */
  readonly emitter = new EventEmitter();
  private readonly queues = new Set<BoundedEventQueue>();

  constructor(private readonly metrics: EventMetrics = NO_EVENT_METRICS) {
    this.emitter.setMaxListeners(0);
  }

  get size(): number {
    return this.queues.size;
  }

  deliver(event: CareEventMessage): void {
    this.emitter.emit(`tenant:${event.tenantId}`, event);
  }

  /** Tells every subscription that events may have been missed (the bus was disconnected). */
  signalGap(): void {
    for (const queue of this.queues) queue.gap();
  }

  subscribe(
    tenantId: string,
    signal: AbortSignal,
    options: BusSubscribeOptions = {},
  ): AsyncIterable<BusDelivery> {
    const name = `tenant:${tenantId}`;
    const queue = new BoundedEventQueue(options.maxQueue ?? DEFAULT_SUBSCRIBER_QUEUE, signal, () =>
      this.metrics.overflowed(),
    );
    const listener = (event: CareEventMessage) => queue.push(event);
    const detach = () => {
      this.emitter.off(name, listener);
      this.queues.delete(queue);
    };
    if (signal.aborted) return queue;
    this.emitter.on(name, listener);
    this.queues.add(queue);
    signal.addEventListener('abort', detach, { once: true });
    return queue;
  }

  close(): void {
    this.emitter.removeAllListeners();
    for (const queue of this.queues) queue.end();
    this.queues.clear();
  }
}

/** Delivers events to subscribers in this process (the embedded default). */
export class InProcessEventBus implements EventBus {
  private readonly fanout: LocalFanout;
  /** The fan-out's emitter (tests count live subscriptions on it). */
  readonly emitter: EventEmitter;

  constructor(metrics?: EventMetrics) {
    this.fanout = new LocalFanout(metrics);
    this.emitter = this.fanout.emitter;
  }

  activeSubscriptions(): number {
    return this.fanout.size;
  }

  async publish(event: CareEventMessage): Promise<void> {
    this.fanout.deliver(event);
  }

  subscribe(
    tenantId: string,
    signal: AbortSignal,
    options?: BusSubscribeOptions,
  ): AsyncIterable<BusDelivery> {
    return this.fanout.subscribe(tenantId, signal, options);
  }

  async close(): Promise<void> {
    this.fanout.close();
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
