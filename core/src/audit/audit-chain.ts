import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { LockMode } from '@mikro-orm/core';
import { AuditChainHead, AuditEvent } from '@caregraph/schema';

/** `previousHash` of a tenant's first audit row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The audit row fields covered by the hash, as an entity or a raw database row carries them. */
export interface AuditChainFields {
  tenantId: string;
  sequence: number | string;
  id: string;
  recordedAt: Date | string;
  action: string;
  type: string;
  outcome: string;
  actorUserId?: string | null;
  actorRoles: readonly string[];
  purposeOfUse?: string | null;
  patientId?: string | null;
  entity?: string | null;
  requestId?: string | null;
  clientAddress?: string | null;
  detail: Record<string, unknown>;
}

/** JSON with object keys sorted at every level (what jsonb stores round-trips to the same text). */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value ?? null)) as unknown));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortKeys(record[key])]),
  );
}

/** The canonical text of an audit row: its fields in a fixed order, absent values as null. */
export function canonicalAuditRow(row: AuditChainFields): string {
  return stableJson([
    row.tenantId,
    String(row.sequence),
    row.id,
    new Date(row.recordedAt).toISOString(),
    row.action,
    row.type,
    row.outcome,
    row.actorUserId ?? null,
    [...row.actorRoles],
    row.purposeOfUse ?? null,
    row.patientId ?? null,
    row.entity ?? null,
    row.requestId ?? null,
    row.clientAddress ?? null,
    row.detail ?? {},
  ]);
}

/** `sha256(previousHash + '\n' + canonical row)`, hex. */
export function auditRowHash(previousHash: string, row: AuditChainFields): string {
  return createHash('sha256')
    .update(`${previousHash}\n${canonicalAuditRow(row)}`)
    .digest('hex');
}

/** An audit row before it is placed in the chain. */
export type AuditDraft = Omit<
  AuditChainFields,
  'tenantId' | 'sequence' | 'id' | 'recordedAt' | 'outcome'
> & {
  outcome?: string;
};

/**
 * Appends audit rows to a tenant's hash chain inside the caller's transaction: locks the
 * tenant's chain head (`FOR UPDATE`, so concurrent writers of the tenant wait their turn),
 * assigns the next sequences and hashes, persists the rows and moves the head. The rows are
 * flushed when the transaction commits (or at the caller's next flush).
 */
export async function appendAuditEvents(
  em: EntityManager,
  tenantId: string,
  drafts: readonly AuditDraft[],
): Promise<AuditEvent[]> {
  if (drafts.length === 0) return [];
  await em
    .createQueryBuilder(AuditChainHead)
    .insert({ tenantId, sequence: 0, hash: GENESIS_HASH })
    .onConflict('tenantId')
    .ignore()
    .execute();
  const head = await em
    .createQueryBuilder(AuditChainHead)
    .select(['sequence', 'hash'])
    .where({ tenantId })
    .setLockMode(LockMode.PESSIMISTIC_WRITE)
    .execute<{ sequence: number | string; hash: string }>('get');
  let sequence = Number(head!.sequence);
  let previousHash = head!.hash;
  const rows: AuditEvent[] = [];
  for (const draft of drafts) {
    sequence += 1;
    const row = em.create(AuditEvent, {
      ...draft,
      tenantId,
      outcome: draft.outcome ?? '0',
      actorRoles: [...draft.actorRoles],
      detail: draft.detail ?? {},
      sequence,
      previousHash,
      hash: GENESIS_HASH,
    });
    row.hash = auditRowHash(previousHash, row);
    previousHash = row.hash;
    rows.push(row);
  }
  await em
    .createQueryBuilder(AuditChainHead)
    .update({ sequence, hash: previousHash })
    .where({ tenantId })
    .execute();
  return rows;
}
