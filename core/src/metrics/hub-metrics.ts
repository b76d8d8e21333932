import type { MikroORM } from '@mikro-orm/sql';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { PLUGIN_STATES, type PluginStatusReport } from '@caregraph/plugin-sdk';
import { withSystemScope } from '../db/tenant-scope.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventMetrics } from '../events/event-metrics.js';
import type { Logger } from '../logging/logger.js';

/** Prefix of every CareGraph metric. */
export const METRIC_PREFIX = 'caregraph_';

/** What the gauges read at scrape time. */
export interface ObservedHub {
  orm: MikroORM;
  bus: EventBus;
  /** The plugins' states (without running their health checks). */
  plugins: () => PluginStatusReport[];
}

/**
 * The hub's Prometheus metrics, in a registry of its own (several hubs can share a process in
 * tests). Counters are counted as things happen; gauges are read when `/metrics` is scraped.
 * No label names a tenant, a user or a patient: instance-wide numbers only.
 */
export class HubMetrics implements EventMetrics {
  readonly registry = new Registry();
  private readonly publishedTotal: Counter;
  private readonly publishFailuresTotal: Counter;
  private readonly overflowsTotal: Counter;
  private readonly wakeupsTotal: Counter;
  private readonly routedSkipsTotal: Counter;

  /** `processMetrics`: also Node's process metrics (CPU, memory, event loop), when served. */
  constructor(
    private readonly logger: Logger,
    processMetrics = false,
  ) {
    const registers = [this.registry];
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    this.publishedTotal = new Counter({
      name: `${METRIC_PREFIX}events_published_total`,
      help: 'Outbox events the relay of this instance published to the bus.',
      registers,
    });
    this.publishFailuresTotal = new Counter({
      name: `${METRIC_PREFIX}event_publish_failures_total`,
      help: 'Outbox batches the bus refused (retried with backoff).',
      registers,
    });
    this.overflowsTotal = new Counter({
      name: `${METRIC_PREFIX}event_subscriber_overflows_total`,
      help: 'Subscriptions whose queue overflowed: backlog dropped, Resync sent.',
      registers,
    });
    this.wakeupsTotal = new Counter({
      name: `${METRIC_PREFIX}subscription_wakeups_total`,
      help: 'Events queued on a subscription of this instance (one per event and woken subscription).',
      registers,
    });
    this.routedSkipsTotal = new Counter({
      name: `${METRIC_PREFIX}subscription_routed_skips_total`,
      help: 'Subscriptions not woken for an event because it cannot be for them (audience routing).',
      registers,
    });
  }

  published(count: number): void {
    this.publishedTotal.inc(count);
  }

  publishFailed(): void {
    this.publishFailuresTotal.inc();
  }

  overflowed(): void {
    this.overflowsTotal.inc();
  }

  routed(woken: number, skipped: number): void {
    if (woken) this.wakeupsTotal.inc(woken);
    if (skipped) this.routedSkipsTotal.inc(skipped);
  }

  /** Registers the gauges read at scrape time (once the hub is wired). */
  observe(hub: ObservedHub): void {
    const registers = [this.registry];
    const logger = this.logger;
    new Gauge({
      name: `${METRIC_PREFIX}outbox_relay_lag_seconds`,
      help: 'Seconds since the oldest unpublished outbox row was committed (0 when none waits).',
      registers,
      async collect() {
        try {
          this.set(await relayLagSeconds(hub.orm));
        } catch (error) {
          // No driver message: it can quote values.
          logger.warn({ err: { name: (error as Error).name } }, 'metrics: relay lag unavailable');
          this.set(Number.NaN);
        }
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}event_subscriptions_active`,
      help: 'Live event bus subscriptions of this instance (GraphQL subscriptions and plugin handlers).',
      registers,
      collect() {
        this.set(hub.bus.activeSubscriptions());
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}plugin_status`,
      help: 'The state of each registered plugin: 1 for its current state, 0 for the others.',
      labelNames: ['plugin', 'state'],
      registers,
      collect() {
        this.reset();
        for (const status of hub.plugins())
          for (const state of PLUGIN_STATES)
            this.set({ plugin: status.id, state }, status.state === state ? 1 : 0);
      },
    });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * The relay's lag: the age of the oldest unpublished row, over all tenants (the hub's own
 * cross-tenant read, like the relay's poll; the partial index on unpublished rows keeps it cheap).
 */
async function relayLagSeconds(orm: MikroORM): Promise<number> {
  const [row] = await withSystemScope(() =>
    orm.em
      .fork()
      .execute<{ lag: number | string | null }[]>(
        'select extract(epoch from now() - min(created_at)) as lag from outbox_event where published_at is null',
      ),
  );
  return Math.max(0, Number(row?.lag ?? 0));
}
