import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CareEventMessage } from '@caregraph/schema';
import type { MikroORM } from '@mikro-orm/sql';
import { withTenantScope } from '../db/tenant-scope.js';
import { eventsAfter } from '../events/event-replay.js';
import { ROUTE_ALL } from '../events/event-audience.js';
import { BUS_GAP, QUEUE_OVERFLOW, type EventBus } from '../events/event-bus.js';
import { forkForTenant } from '../db/create-orm.js';
import { PluginEventCursors, type CursorKey } from './plugin-event-cursor.js';
import { PluginError } from './plugin-error.js';

/** How plugin event subscriptions run. */
export interface PluginSubscriptionSettings {
  /** How often an idle subscription looks at the outbox (and a waiting one at the lease). */
  pollMs: number;
  /** How long a lease lasts without renewal (an instance that died gives it up after this). */
  leaseMs: number;
  /** Events read from the outbox at once. */
  batchSize: number;
  /** Retry delay of a failing handler: `baseMs * 2^(attempt-1)`, at most `maxMs`. */
  backoff(attempt: number): number;
}

/** What a subscription tells the plugin host. */
export interface SubscriptionReporter {
  /** The handler threw (logged and counted by the host). */
  handlerError(where: string, error: unknown): void;
  /** Something keeps this subscription from working (the plugin is degraded), or it cleared. */
  issue(message: string | undefined): void;
  /** Events were deleted from the outbox before the handler got them. */
  lost(error: PluginError): void;
  /** Reading the outbox or the cursor failed (the database). */
  failed(error: unknown): void;
}

/** Live events buffered ahead of the handler at most; past it the outbox is read instead. */
const MAX_BUFFERED = 1000;
/** Wait before following the bus again after its subscription ended (overflow, close). */
const RESUBSCRIBE_MS = 100;

/** Resolves after `ms`, or early on `wake()` or when `signal` aborts. */
class Wakeup {
  private resolve?: () => void;
  private woken = false;

  constructor(private readonly signal: AbortSignal) {}

  wake(): void {
    this.woken = true;
    this.resolve?.();
  }

  async sleep(ms: number): Promise<void> {
    if (this.woken || this.signal.aborted) return void (this.woken = false);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      const onAbort = () => done();
      this.signal.addEventListener('abort', onAbort, { once: true });
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.resolve = () => {
        this.signal.removeEventListener('abort', onAbort);
        done();
      };
    });
    this.resolve = undefined;
    this.woken = false;
  }
}

/**
 * Runs one durable plugin subscription until `signal` aborts: takes the cursor's lease, replays
 * the tenant's outbox after the cursor, then follows the bus (events at or below the cursor are
 * skipped; a gap, a Redis reconnection or a queue overflow falls back to the outbox). The cursor
 * moves after the handler resolves, so the handler gets every event at least once; a throwing
 * handler gets the same event again after a backoff. Never throws.
 */
export async function runPluginSubscription(args: {
  orm: MikroORM;
  events: EventBus;
  cursors: PluginEventCursors;
  settings: PluginSubscriptionSettings;
  key: CursorKey;
  consumes: ReadonlySet<string>;
  handler: (event: CareEventMessage) => Promise<void>;
  signal: AbortSignal;
  report: SubscriptionReporter;
}): Promise<void> {
  const { orm, cursors, settings, key, signal, report } = args;
  const owner = randomUUID();
  const wakeup = new Wakeup(signal);
  const buffered: CareEventMessage[] = [];
  const following = followBus(args.events, key.tenantId, signal, (event) => {
    if (event?.position !== undefined && buffered.length < MAX_BUFFERED) buffered.push(event);
    else buffered.length = 0;
    wakeup.wake();
  });

  let position: number | undefined;
  let renewedAt = 0;
  let attempt = 0;
  const read = async (after: number): Promise<CareEventMessage[]> => {
    while (buffered.length && buffered[0]!.position! <= after) buffered.shift();
    if (buffered[0]?.position === after + 1) return buffered.splice(0, settings.batchSize);
    buffered.length = 0;
    return withTenantScope(key.tenantId, () =>
      eventsAfter(forkForTenant(orm, key.tenantId), key.tenantId, after, settings.batchSize),
    );
  };
  /** Reports events deleted before they were handled and moves the cursor past them. */
  const skipLost = async (from: number, to: number): Promise<boolean> => {
    report.lost(PluginError.eventsLost(key, from, to));
    return cursors.advance(key, owner, to);
  };

  while (!signal.aborted) {
    let failure: { handler: boolean; error: unknown } | undefined;
    try {
      if (position === undefined || Date.now() - renewedAt > settings.leaseMs / 3) {
        const claimed = await cursors.claim(key, owner);
        if (claimed === undefined) {
          // Another instance drives this cursor; take over when its lease runs out.
          position = undefined;
          await wakeup.sleep(settings.pollMs);
          continue;
        }
        renewedAt = Date.now();
        position = Math.max(position ?? 0, claimed);
        const { head, firstAfter } = await cursors.retention(key.tenantId, position);
        if (head > position && firstAfter !== position + 1) {
          const to = (firstAfter ?? head + 1) - 1;
          position = (await skipLost(position + 1, to)) ? to : undefined;
          continue;
        }
      }
      const batch = await read(position);
      if (batch.length === 0) {
        await wakeup.sleep(settings.pollMs);
        continue;
      }
      const first = batch[0]!.position!;
      if (first > position + 1) {
        if (!(await skipLost(position + 1, first - 1))) {
          position = undefined;
          continue;
        }
        position = first - 1;
      }
      let acknowledged = position;
      let leaseLost = false;
      for (const event of batch) {
        if (signal.aborted) break;
        // Live deliveries can repeat (at-least-once relays) or skip (a missed message): a
        // repeat is skipped, a gap sends the next read to the outbox.
        if (event.position! <= position) continue;
        if (event.position! > position + 1) break;
        if (args.consumes.has(event.type)) {
          try {
            await withTenantScope(key.tenantId, () => args.handler(event));
          } catch (error) {
            failure = { handler: true, error };
            break;
          }
          leaseLost = !(await cursors.advance(key, owner, event.position!));
          // Cleared once the cursor moved, so "running" means the event is acknowledged.
          if (attempt > 0) report.issue(undefined);
          attempt = 0;
          if (leaseLost) break;
          renewedAt = Date.now();
          acknowledged = event.position!;
        }
        position = event.position!;
      }
      // Events the plugin does not consume move the cursor too, once per batch.
      if (!leaseLost && position > acknowledged)
        leaseLost = !(await cursors.advance(key, owner, position));
      if (leaseLost) position = undefined;
      if (!failure) continue;
    } catch (error) {
      failure = { handler: false, error };
    }
    attempt += 1;
    const delay = settings.backoff(attempt);
    if (failure.handler) report.handlerError(`event subscription "${key.name}"`, failure.error);
    else report.failed(failure.error);
    report.issue(
      `event subscription "${key.name}" failed (attempt ${attempt}), retrying in ${delay} ms`,
    );
    // Read again from the stored cursor: the event that failed comes back.
    position = undefined;
    buffered.length = 0;
    await wakeup.sleep(delay);
  }
  await following;
  // Conditional on holding it: a no-op when the lease was lost or never taken.
  await cursors.release(key, owner).catch(() => undefined);
}

/**
 * Hands the tenant's live events to `onEvent` (undefined: events may have been missed, read the
 * outbox). A subscription whose queue overflowed is opened again.
 */
async function followBus(
  events: EventBus,
  tenantId: string,
  signal: AbortSignal,
  onEvent: (event: CareEventMessage | undefined) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      for await (const delivery of events.subscribe(tenantId, signal, { routes: [ROUTE_ALL] })) {
        if (delivery === QUEUE_OVERFLOW || delivery === BUS_GAP) onEvent(undefined);
        else onEvent(delivery);
      }
    } catch {
      // The bus refused the subscription: the outbox poll still finds the events.
    }
    onEvent(undefined);
    await sleep(RESUBSCRIBE_MS, undefined, { signal, ref: false }).catch(() => undefined);
  }
}
