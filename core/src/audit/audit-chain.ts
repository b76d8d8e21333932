import { createHash, randomUUID } from 'node:crypto';

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

/** The last sequence and hash of a tenant's chain (what `audit_chain_head` holds). */
export interface ChainHead {
  sequence: number;
  hash: string;
}

/** An audit row placed in the chain: every column of `audit_event`. */
export interface ChainedAuditRow extends AuditChainFields {
  sequence: number;
  id: string;
  recordedAt: Date;
  outcome: string;
  actorRoles: string[];
  detail: Record<string, unknown>;
  previousHash: string;
  hash: string;
}

/**
 * Places drafts after `head`: the next sequences, fresh ids and timestamps, each row hashed
 * over the previous row's hash. Returns the rows and the head they leave behind.
 */
export function chainAuditRows(
  tenantId: string,
  head: ChainHead,
  drafts: readonly AuditDraft[],
): { rows: ChainedAuditRow[]; head: ChainHead } {
  let { sequence, hash: previousHash } = head;
  const rows = drafts.map((draft) => {
    sequence += 1;
    const row: ChainedAuditRow = {
      ...draft,
      tenantId,
      sequence,
      id: randomUUID(),
      recordedAt: new Date(),
      outcome: draft.outcome ?? '0',
      actorRoles: [...draft.actorRoles],
      detail: draft.detail ?? {},
      previousHash,
      hash: GENESIS_HASH,
    };
    row.hash = auditRowHash(previousHash, row);
    previousHash = row.hash;
    return row;
  });
  return { rows, head: { sequence, hash: previousHash } };
}
