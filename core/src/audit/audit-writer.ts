import type { EntityManager, MikroORM } from '@mikro-orm/sql';
import { withTenantScope } from '../db/tenant-scope.js';
import type { AuditDraft, ChainHead } from './audit-chain.js';
import { appendAtHead, appendAuditEvents, readChainHead } from './audit-chain-append.js';

/** One-statement appends tried before waiting for the head's lock (other writers moved it). */
const CAS_ATTEMPTS = 3;

interface PendingAppend {
  tenantId: string;
  drafts: readonly AuditDraft[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Writes audit rows that are not part of a data change (reads, deliveries, login failures) with
 * group commit: callers wait until their rows are committed, and the rows of everyone who
 * arrived while a commit was running go into the next transaction together, so a busy gateway
 * takes each tenant's chain-head lock once per batch instead of once per request.
 *
 * A batch is one autocommitted statement after the head this writer last left (see
 * audit-chain-append.ts); when another writer (a mutation, another gateway) moved the head, the
 * writer re-reads it, and after a few lost races appends under the head's lock.
 */
export class AuditWriter {
  private pending: PendingAppend[] = [];
  private flushing?: Promise<void>;
  private readonly heads = new Map<string, ChainHead>();

  constructor(private readonly orm: MikroORM) {}

  /** Appends rows to the tenant's chain; resolves once they are committed. */
  append(tenantId: string, drafts: readonly AuditDraft[]): Promise<void> {
    if (drafts.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ tenantId, drafts, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Waits for every row handed in so far. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // Let the requests finishing in this tick join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const byTenant = new Map<string, PendingAppend[]>();
      for (const item of batch) {
        const list = byTenant.get(item.tenantId) ?? [];
        list.push(item);
        byTenant.set(item.tenantId, list);
      }
      for (const [tenantId, items] of byTenant) {
        try {
          await withTenantScope(tenantId, () =>
            this.write(
              tenantId,
              items.flatMap((item) => item.drafts),
            ),
          );
          for (const item of items) item.resolve();
        } catch (error) {
          this.heads.delete(tenantId);
          for (const item of items) item.reject(error);
        }
      }
    }
    this.flushing = undefined;
  }

  /** Appends one tenant's batch; resolves once it is committed. */
  private async write(tenantId: string, drafts: readonly AuditDraft[]): Promise<void> {
    const em = this.orm.em.fork() as EntityManager;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const head = this.heads.get(tenantId) ?? (await readChainHead(em, tenantId));
      const moved = await appendAtHead(em, tenantId, head, drafts);
      if (moved) {
        this.heads.set(tenantId, moved);
        return;
      }
      this.heads.delete(tenantId);
    }
    const rows = await em.transactional((tx) => appendAuditEvents(tx, tenantId, drafts));
    const last = rows.at(-1)!;
    this.heads.set(tenantId, { sequence: last.sequence, hash: last.hash });
  }
}
