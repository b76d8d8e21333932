import type { MikroORM } from '@mikro-orm/sql';
import type { CareGraphConfig } from '../config/config-schema.js';
import { durationMs } from '../config/duration.js';
import type { Logger } from '../logging/logger.js';
import type { CareEventMessage } from '@caregraph/schema';
import { EVERYONE, type EventAudience } from './event-audience.js';
import { InProcessEventBus, type BusDelivery, type EventBus } from './event-bus.js';
import type { EventMetrics } from './event-metrics.js';
import { EventSnapshots } from './event-snapshot.js';
import { OutboxRelay } from './outbox-relay.js';
import { RedisEventBus } from './redis-event-bus.js';

/** Replay and backpressure settings of subscriptions. */
export interface EventDeliverySettings {
  /** How far back `after` may point, in ms. */
  replayWindowMs: number;
  /** Most events one resume replays. */
  replayMaxEvents: number;
  /** Most events waiting for one subscription. */
  subscriberQueue: number;
}

/**
 * The hub's events as request contexts see them: `committed` wakes the outbox relay after a
 * transaction wrote events; `subscribe` follows a tenant's published events with a bounded
 * queue, woken only by the events its routing keys say can be for it (the `audience`, injected
 * by the hub: events/ knows no access rules). The bus is in-process, or Redis pub/sub when
 * `CAREGRAPH_REDIS_URL` is set.
 */
export class CareEvents {
  constructor(
    readonly bus: EventBus,
    readonly relay: OutboxRelay,
    readonly settings: EventDeliverySettings,
    private readonly eventAudience?: EventAudience,
    /** Each event's receiver-independent reads, shared by its routing and its receivers. */
    readonly snapshots: EventSnapshots = new EventSnapshots(),
  ) {}

  /** The bus, relay and settings for a configuration (the relay is started by `start`). */
  static fromConfig(
    config: CareGraphConfig,
    orm: MikroORM,
    logger: Logger,
    metrics?: EventMetrics,
    audience?: EventAudience,
    snapshots?: EventSnapshots,
  ): CareEvents {
    const bus = config.redisUrl
      ? new RedisEventBus(config.redisUrl, logger, config.eventChannel, metrics, audience)
      : new InProcessEventBus(metrics, audience);
    const replayWindowMs = durationMs(config.eventReplayWindow);
    const relay = new OutboxRelay({
      orm,
      bus,
      logger,
      pollMs: config.eventRelayPollMs,
      retentionMs: replayWindowMs,
      metrics,
    });
    const settings = {
      replayWindowMs,
      replayMaxEvents: config.eventReplayMaxEvents,
      subscriberQueue: config.eventSubscriberQueue,
    };
    return new CareEvents(bus, relay, settings, audience, snapshots);
  }

  /** A transaction of the tenant committed outbox rows. */
  committed(tenantId: string): void {
    this.relay.wake(tenantId);
  }

  /**
   * The tenant's published events whose audience shares a key with `routes` (default: all),
   * registered on return, until `signal` aborts.
   */
  subscribe(
    tenantId: string,
    signal: AbortSignal,
    routes?: readonly string[],
  ): AsyncIterable<BusDelivery> {
    return this.bus.subscribe(tenantId, signal, {
      maxQueue: this.settings.subscriberQueue,
      routes,
    });
  }

  /** The routing keys of an event (what the fan-out routes it by; everyone without routing). */
  audience(event: CareEventMessage): Promise<ReadonlySet<string>> {
    return this.eventAudience ? this.eventAudience(event) : Promise.resolve(EVERYONE);
  }

  async start(): Promise<void> {
    if (this.bus instanceof RedisEventBus) await this.bus.start();
    this.relay.start();
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    await this.bus.close();
  }
}
