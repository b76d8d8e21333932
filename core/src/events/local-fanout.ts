import { AsyncLocalStorage } from 'node:async_hooks';
import type { CareEventMessage } from '@caregraph/schema';
import { BoundedEventQueue, type BusDelivery } from './bounded-event-queue.js';
import { EVERYONE, ROUTE_ALL, type EventAudience } from './event-audience.js';
import { NO_EVENT_METRICS, type EventMetrics } from './event-metrics.js';

/** What a subscriber asks of the bus. */
export interface BusSubscribeOptions {
  /** Most events waiting for this subscriber; past it the backlog is dropped (`QUEUE_OVERFLOW`). */
  maxQueue?: number;
  /**
   * The routing keys of the events that can be for this subscriber (`event-audience.ts`);
   * default `[ROUTE_ALL]`: every event of the tenant.
   */
  routes?: readonly string[];
}

/** Default per-subscription queue bound when none is given. */
export const DEFAULT_SUBSCRIBER_QUEUE = 1000;

/** How long an event's audience lookup may take before the event goes to every subscription. */
const AUDIENCE_TIMEOUT_MS = 2_000;

interface Route {
  queue: BoundedEventQueue;
  keys: readonly string[];
}

/** One tenant's subscriptions, by routing key, and its events still being routed. */
class TenantRoutes {
  readonly all = new Set<Route>();
  readonly everything = new Set<Route>();
  readonly byKey = new Map<string, Set<Route>>();
  /** Events (and gaps) waiting for an audience lookup, theirs or an earlier event's. */
  pending = 0;
  tail: Promise<void> = Promise.resolve();

  constructor(readonly tenantId: string) {}

  add(route: Route): void {
    this.all.add(route);
    for (const key of route.keys) {
      if (key === ROUTE_ALL) this.everything.add(route);
      else {
        let routes = this.byKey.get(key);
        if (!routes) this.byKey.set(key, (routes = new Set()));
        routes.add(route);
      }
    }
  }

  remove(route: Route): void {
    this.all.delete(route);
    this.everything.delete(route);
    for (const key of route.keys) {
      const routes = this.byKey.get(key);
      routes?.delete(route);
      if (routes?.size === 0) this.byKey.delete(key);
    }
  }

  /** Whether some subscription would not take every event (an audience lookup can spare it). */
  get narrowed(): boolean {
    return this.all.size > this.everything.size;
  }
}

/**
 * Fans events out to this process's subscribers, one bounded queue each: a slow subscriber's
 * queue overflows on its own and never holds up the others. With an `audience` (issue 4), an
 * event wakes only the subscriptions that share a routing key with it (or take everything),
 * instead of every subscription of its tenant; the lookup runs once per event, concurrently
 * with the tenant's other lookups, but a tenant's events reach each queue in publish order.
 */
export class LocalFanout {
  private readonly tenants = new Map<string, TenantRoutes>();
  /** Runs audience lookups in the context the fan-out was made in, not the publisher's. */
  private readonly detached = AsyncLocalStorage.snapshot();

  constructor(
    private readonly metrics: EventMetrics = NO_EVENT_METRICS,
    private readonly audience?: EventAudience,
  ) {}

  /** Live subscriptions, of one tenant or all. */
  size(tenantId?: string): number {
    if (tenantId !== undefined) return this.tenants.get(tenantId)?.all.size ?? 0;
    let count = 0;
    for (const tenant of this.tenants.values()) count += tenant.all.size;
    return count;
  }

  deliver(event: CareEventMessage): void {
    const tenant = this.tenants.get(event.tenantId);
    if (!tenant || tenant.all.size === 0) return;
    const audience = this.audience && tenant.narrowed ? this.lookup(event) : undefined;
    if (!audience && tenant.pending === 0) return this.wake(tenant, event, EVERYONE);
    this.enqueue(tenant, async () =>
      this.wake(tenant, event, audience ? await audience : EVERYONE),
    );
  }

  /** Tells every subscription that events may have been missed (the bus was disconnected). */
  signalGap(): void {
    for (const tenant of this.tenants.values()) {
      const gap = () => {
        for (const route of tenant.all) route.queue.gap();
      };
      if (tenant.pending === 0) gap();
      else this.enqueue(tenant, gap);
    }
  }

  subscribe(
    tenantId: string,
    signal: AbortSignal,
    options: BusSubscribeOptions = {},
  ): AsyncIterable<BusDelivery> {
    const queue = new BoundedEventQueue(options.maxQueue ?? DEFAULT_SUBSCRIBER_QUEUE, signal, () =>
      this.metrics.overflowed(),
    );
    if (signal.aborted) return queue;
    let tenant = this.tenants.get(tenantId);
    if (!tenant) this.tenants.set(tenantId, (tenant = new TenantRoutes(tenantId)));
    const route: Route = { queue, keys: options.routes ?? [ROUTE_ALL] };
    tenant.add(route);
    signal.addEventListener(
      'abort',
      () => {
        tenant.remove(route);
        this.forgetIdle(tenant);
      },
      { once: true },
    );
    return queue;
  }

  close(): void {
    for (const tenant of this.tenants.values()) for (const route of tenant.all) route.queue.end();
    this.tenants.clear();
  }

  /** Queues the event on the subscriptions in its audience and counts the rest as spared. */
  private wake(tenant: TenantRoutes, event: CareEventMessage, audience: ReadonlySet<string>): void {
    let woken: Iterable<Route> = tenant.all;
    if (!audience.has(ROUTE_ALL)) {
      const matching = new Set(tenant.everything);
      for (const key of audience)
        for (const route of tenant.byKey.get(key) ?? []) matching.add(route);
      woken = matching;
    }
    let count = 0;
    for (const route of woken) {
      route.queue.push(event);
      count++;
    }
    this.metrics.routed(count, tenant.all.size - count);
  }

  /** Runs `step` after the tenant's earlier steps (their lookups may still be running). */
  private enqueue(tenant: TenantRoutes, step: () => void | Promise<void>): void {
    tenant.pending++;
    // A step does not throw (pushing never does); were one to, the chain must go on regardless.
    tenant.tail = tenant.tail
      .then(step)
      .catch(() => undefined)
      .finally(() => {
        tenant.pending--;
        this.forgetIdle(tenant);
      });
  }

  /** The event's audience; everyone when the lookup fails or takes too long. */
  private lookup(event: CareEventMessage): Promise<ReadonlySet<string>> {
    const audience = this.audience!;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ReadonlySet<string>>((resolve) => {
      timer = setTimeout(() => resolve(EVERYONE), AUDIENCE_TIMEOUT_MS);
      timer.unref();
    });
    const lookup = this.detached(() => Promise.resolve().then(() => audience(event))).catch(
      () => EVERYONE,
    );
    return Promise.race([lookup, timeout]).finally(() => clearTimeout(timer));
  }

  /** Drops a tenant's entry once it has neither subscriptions nor events on their way. */
  private forgetIdle(tenant: TenantRoutes): void {
    if (tenant.all.size > 0 || tenant.pending > 0) return;
    if (this.tenants.get(tenant.tenantId) === tenant) this.tenants.delete(tenant.tenantId);
  }
}
