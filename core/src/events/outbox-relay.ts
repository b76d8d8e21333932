import type { EntityManager, MikroORM } from '@mikro-orm/sql';
import { forkForTenant } from '../db/create-orm.js';
import { withSystemScope, withTenantScope } from '../db/tenant-scope.js';
import type { Logger } from '../logging/logger.js';
import type { EventBus } from './event-bus.js';
import type { EventMetrics } from './event-metrics.js';
import { messageFromRow, OUTBOX_ROW_COLUMNS, type OutboxRow } from './outbox.js';

/** Options of the relay. */
export interface OutboxRelayOptions {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  /** How often to look for unpublished rows of every tenant (other instances' too). */
  pollMs: number;
  /** Published rows older than this are deleted (the replay window), in ms. */
  retentionMs: number;
  /** Rows per transaction. */
  batchSize?: number;
  /** Longest wait between retries of a tenant whose publishing failed. */
  maxBackoffMs?: number;
  /** Counts published rows and failures. */
  metrics?: EventMetrics;
  /**
   * Shortest time between the starts of two publishing runs woken by commits, in ms (default
   * 10). An idle relay publishes a commit at once; under load, the commits of that interval are
   * numbered and published in one run instead of one run each.
   */
  minRunIntervalMs?: number;
}

const FIRST_BACKOFF_MS = 200;
/** How soon to look at a tenant again that another instance was publishing. */
const BUSY_RETRY_MS = 50;
/** `publishBatch`: another instance holds the tenant's lock. */
const BUSY = -1;
/** How often (in polls) published rows beyond the replay window are deleted. */
const PRUNE_EVERY_POLLS = 60;

/**
 * Publishes outbox rows to the bus, per tenant in position order, at least once. Woken right
 * after a commit in this process and by polling, so rows committed by an instance that died
 * before publishing are published by any survivor. A tenant is published by one instance at a
 * time (a transaction-scoped advisory lock per tenant; an instance that does not get it leaves
 * the tenant to the holder). A failed publish rolls the batch back: its rows stay unpublished
 * and are retried with exponential backoff (subscribers skip positions they already had).
 */
export class OutboxRelay {
  private readonly pending = new Set<string>();
  /** Tenants whose `outbox_head` row this instance has seen exist (it is never deleted). */
  private readonly heads = new Set<string>();
  private readonly backoff = new Map<string, { delayMs: number; retryAt: number }>();
  private running?: Promise<void>;
  private again = false;
  private poller?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private polls = 0;
  private stopped = true;
  private readonly batchSize: number;
  private readonly maxBackoffMs: number;
  private readonly minRunIntervalMs: number;
  private lastRunAt = 0;
  /** A run woken too soon after the last one, waiting for `minRunIntervalMs`. */
  private deferred?: { timer: NodeJS.Timeout; done: Promise<void>; release: () => void };

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.minRunIntervalMs = options.minRunIntervalMs ?? 10;
  }

  /** Starts polling and publishes what is waiting. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.poller = setInterval(() => this.pollOnce(), this.options.pollMs);
    this.poller.unref();
    this.pollOnce();
  }

  /** Stops publishing (rows committed afterwards wait for another instance or a restart). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    if (this.deferred) {
      clearTimeout(this.deferred.timer);
      this.deferred.release();
      this.deferred = undefined;
    }
    await this.polling;
    await this.running;
  }

  /** A transaction of the tenant committed events: publish them now. */
  wake(tenantId: string): void {
    if (this.stopped) return;
    this.pending.add(tenantId);
    if (this.deferred) return;
    const wait = this.lastRunAt + this.minRunIntervalMs - Date.now();
    if (wait <= 0 || this.running) {
      this.drain();
      return;
    }
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => {
      this.deferred = undefined;
      this.drain();
      release();
    }, wait);
    this.deferred = { timer, done, release };
  }

  /** Resolves once nothing is being published or waiting to be (tests). */
  async idle(): Promise<void> {
    while (this.running || this.deferred) {
      await this.deferred?.done;
      await this.running;
    }
  }

  /** One poll at a time (a slow database must not pile them up). */
  private pollOnce(): void {
    if (this.polling) return;
    this.polling = this.poll().finally(() => (this.polling = undefined));
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      // Listing what to do is the hub's own cross-tenant work; publishing runs per tenant.
      const rows = await withSystemScope(() =>
        this.options.orm.em
          .fork()
          .execute<{ tenant_id: string }[]>(
            'select distinct tenant_id from outbox_event where published_at is null',
          ),
      );
      for (const row of rows) this.pending.add(row.tenant_id);
      if (this.polls++ % PRUNE_EVERY_POLLS === 0) await this.prune();
    } catch (error) {
      this.logFailure('poll', error);
    }
    this.drain();
  }

  private drain(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.lastRunAt = Date.now();
    this.running = this.publishPending().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.drain();
      }
    });
  }

  private async publishPending(): Promise<void> {
    while (this.pending.size && !this.stopped) {
      const now = Date.now();
      const ready = [...this.pending].filter((t) => (this.backoff.get(t)?.retryAt ?? 0) <= now);
      if (ready.length === 0) return;
      for (const tenantId of ready) {
        this.pending.delete(tenantId);
        try {
          const done = await withTenantScope(tenantId, () => this.publishTenant(tenantId));
          this.backoff.delete(tenantId);
          // Another instance holds the tenant: look again soon, for rows it may have missed.
          if (!done) setTimeout(() => this.wake(tenantId), BUSY_RETRY_MS).unref();
        } catch (error) {
          this.options.metrics?.publishFailed();
          this.retryLater(tenantId);
          this.logFailure('publish', error);
        }
      }
    }
  }

  private retryLater(tenantId: string): void {
    const delayMs = Math.min(
      (this.backoff.get(tenantId)?.delayMs ?? FIRST_BACKOFF_MS / 2) * 2,
      this.maxBackoffMs,
    );
    this.backoff.set(tenantId, { delayMs, retryAt: Date.now() + delayMs });
    // A hint only: the poll finds the rows too (they are in the database, not in this timer).
    setTimeout(() => this.wake(tenantId), delayMs).unref();
  }

  /**
   * Numbers the tenant's committed rows, then publishes the numbered ones, batch by batch, each
   * step in its own transaction under the tenant's advisory lock. False when another instance
   * holds the tenant.
   */
  private async publishTenant(tenantId: string): Promise<boolean> {
    const em = forkForTenant(this.options.orm, tenantId);
    if (!this.heads.has(tenantId)) {
      // Committed on its own, so the set never names a head a rollback took back.
      await em.execute(
        'insert into outbox_head (tenant_id, position) values (?, 0) on conflict (tenant_id) do nothing',
        [tenantId],
      );
      this.heads.add(tenantId);
    }
    for (;;) {
      const numbered = await em.transactional((tx) => this.numberBatch(tx, tenantId));
      if (numbered === BUSY) return false;
      const published = await em.transactional((tx) => this.publishBatch(tx, tenantId));
      if (published === BUSY) return false;
      if (published) this.options.metrics?.published(published);
      if ((published < this.batchSize && numbered < this.batchSize) || this.stopped) return true;
    }
  }

  /** Takes the tenant's relay lock for the transaction; false when another instance holds it. */
  private async lockTenant(em: EntityManager, tenantId: string): Promise<boolean> {
    const [lock] = await em.execute<{ locked: boolean }[]>(
      `select pg_try_advisory_xact_lock(hashtextextended('caregraph.outbox:' || ?, 0)) as locked`,
      [tenantId],
    );
    return lock?.locked === true;
  }

  /**
   * Gives committed rows without a position the next positions, in insert order, and moves the
   * head; the number of rows, or BUSY. Committed before anything is published, so a row that is
   * published again after a failure keeps its position (subscribers skip it by position). A row
   * whose transaction commits later gets a later position than rows numbered before it: the
   * positions are the order in which the tenant's events became visible.
   */
  private async numberBatch(em: EntityManager, tenantId: string): Promise<number> {
    if (!(await this.lockTenant(em, tenantId))) return BUSY;
    const [row] = await em.execute<{ n: number | string }[]>(
      `with todo as (
         select id, row_number() over (order by sequence) as n from outbox_event
         where tenant_id = ? and position is null order by sequence limit ?
       ),
       numbered as (
         update outbox_event e set position = head.position + todo.n
         from todo, outbox_head head
         where head.tenant_id = ? and e.id = todo.id returning e.id
       )
       update outbox_head set position = position + (select count(*) from numbered)
       where tenant_id = ? returning (select count(*) from numbered) as n`,
      [tenantId, this.batchSize, tenantId, tenantId],
    );
    return Number(row?.n ?? 0);
  }

  /** Publishes numbered rows not yet published, in position order; their number, or BUSY. */
  private async publishBatch(em: EntityManager, tenantId: string): Promise<number> {
    if (!(await this.lockTenant(em, tenantId))) return BUSY;
    const rows = await em.execute<OutboxRow[]>(
      `select ${OUTBOX_ROW_COLUMNS} from outbox_event
       where tenant_id = ? and published_at is null and position is not null
       order by position limit ?`,
      [tenantId, this.batchSize],
    );
    for (const row of rows) await this.options.bus.publish(messageFromRow(row));
    if (rows.length)
      await em.execute(
        `update outbox_event set published_at = now() where tenant_id = ? and position between ? and ? and published_at is null`,
        [tenantId, rows[0]!.position, rows.at(-1)!.position],
      );
    return rows.length;
  }

  /** Deletes published rows older than the replay window, per tenant. */
  private async prune(): Promise<void> {
    const tenants = await withSystemScope(() =>
      this.options.orm.em
        .fork()
        .execute<{ tenant_id: string }[]>('select distinct tenant_id from outbox_head'),
    );
    const before = new Date(Date.now() - this.options.retentionMs);
    for (const { tenant_id: tenantId } of tenants)
      await withTenantScope(tenantId, () =>
        forkForTenant(this.options.orm, tenantId).execute(
          'delete from outbox_event where tenant_id = ? and published_at is not null and created_at < ?',
          [tenantId, before],
        ),
      );
  }

  private logFailure(what: string, error: unknown): void {
    // No driver message: it can quote values.
    this.options.logger.warn(
      { err: { name: (error as Error).name } },
      `outbox relay: ${what} failed, retrying`,
    );
  }
}
