import type { MikroORM } from '@mikro-orm/sql';
import { withTenantScope } from '../db/tenant-scope.js';
import { appendAuditEvents, type AuditDraft } from './audit-chain.js';

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
 */
export class AuditWriter {
  private pending: PendingAppend[] = [];
  private flushing?: Promise<void>;

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
            this.orm.em.fork().transactional((em) =>
              appendAuditEvents(
                em as never,
                tenantId,
                items.flatMap((item) => item.drafts),
              ),
            ),
          );
          for (const item of items) item.resolve();
        } catch (error) {
          for (const item of items) item.reject(error);
        }
      }
    }
    this.flushing = undefined;
  }
}
