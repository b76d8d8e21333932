import type { EntityManager, MikroORM } from '@mikro-orm/sql';
import { AuditChainHead, AuditEvent } from '@caregraph/schema';
import { withSystemScope, withTenantScope } from '../db/tenant-scope.js';
import { auditRowHash, GENESIS_HASH } from './audit-chain.js';

/** What is wrong at one place in a tenant's audit chain. */
export type AuditChainProblemKind =
  /** The row's content (or sequence or previousHash) no longer matches its hash. */
  | 'edited'
  /** Rows are missing: a gap in the sequence starting at `sequence`. */
  | 'missing'
  /** The row does not link to the row before it, or lies beyond the chain head. */
  | 'inserted/reordered'
  /** The chain head disagrees with the last row (rows deleted at the end, or head altered). */
  | 'head mismatch';

/** One problem found by `verifyAuditChain`; never carries row contents. */
export interface AuditChainProblem {
  tenantId: string;
  sequence: number;
  /** The event at that place, when there is one. */
  id?: string;
  problem: AuditChainProblemKind;
}

/** The result of `verifyAuditChain`. */
export interface AuditChainReport {
  ok: boolean;
  tenants: number;
  events: number;
  problems: AuditChainProblem[];
}

const BATCH = 1000;

/**
 * Verifies the audit hash chain of one tenant, or of every tenant: streams each tenant's rows
 * in sequence order (in batches) and checks sequences, links and hashes, then the chain head.
 */
export async function verifyAuditChain(
  source: EntityManager | MikroORM,
  tenantId?: string,
): Promise<AuditChainReport> {
  const em = ('em' in source ? source.em : source).fork({ clear: true }) as EntityManager;
  // Listing the chains crosses tenants; each chain is then read in its own tenant's scope.
  const tenantIds = tenantId ? [tenantId] : await withSystemScope(() => chainTenants(em));
  const report: AuditChainReport = { ok: true, tenants: 0, events: 0, problems: [] };
  for (const id of tenantIds) {
    const { events, problems } = await withTenantScope(id, () => verifyTenant(em, id));
    if (events === 0 && problems.length === 0 && tenantId === undefined) continue;
    report.tenants += 1;
    report.events += events;
    report.problems.push(...problems);
  }
  report.ok = report.problems.length === 0;
  return report;
}

async function chainTenants(em: EntityManager): Promise<string[]> {
  const fromRows = await em
    .createQueryBuilder(AuditEvent, 'a')
    .select('a.tenantId')
    .distinct()
    .execute<{ tenantId: string }[]>('all');
  const heads = await em
    .createQueryBuilder(AuditChainHead, 'h')
    .select('h.tenantId')
    .execute<{ tenantId: string }[]>('all');
  return [...new Set([...fromRows, ...heads].map((row) => row.tenantId))].sort();
}

async function verifyTenant(
  em: EntityManager,
  tenantId: string,
): Promise<{ events: number; problems: AuditChainProblem[] }> {
  const problems: AuditChainProblem[] = [];
  let events = 0;
  let lastSequence = 0;
  let lastHash = GENESIS_HASH;
  let lastId: string | undefined;
  for (;;) {
    em.clear();
    const rows = await em.find(
      AuditEvent,
      { tenantId, sequence: { $gt: lastSequence } },
      { orderBy: { sequence: 'asc' }, limit: BATCH, filters: false },
    );
    for (const row of rows) {
      events += 1;
      const sequence = Number(row.sequence);
      const gap = sequence !== lastSequence + 1;
      if (gap) problems.push({ tenantId, sequence: lastSequence + 1, problem: 'missing' });
      if (auditRowHash(row.previousHash, row) !== row.hash) {
        problems.push({ tenantId, sequence, id: row.id, problem: 'edited' });
      } else if (!gap && row.previousHash !== lastHash) {
        problems.push({ tenantId, sequence, id: row.id, problem: 'inserted/reordered' });
      }
      lastSequence = sequence;
      lastHash = row.hash;
      lastId = row.id;
    }
    if (rows.length < BATCH) break;
  }
  const head = await em.findOne(AuditChainHead, { tenantId }, { filters: false });
  const headSequence = head ? Number(head.sequence) : 0;
  if (headSequence > lastSequence) {
    problems.push({ tenantId, sequence: lastSequence + 1, problem: 'head mismatch' });
  } else if (headSequence < lastSequence) {
    problems.push({ tenantId, sequence: headSequence + 1, problem: 'inserted/reordered' });
  } else if ((head?.hash ?? GENESIS_HASH) !== lastHash) {
    problems.push({ tenantId, sequence: lastSequence, id: lastId, problem: 'head mismatch' });
  }
  return { events, problems };
}
