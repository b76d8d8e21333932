import type { EntityManager } from '@mikro-orm/sql';
import {
  chainAuditRows,
  GENESIS_HASH,
  type AuditDraft,
  type ChainedAuditRow,
  type ChainHead,
} from './audit-chain.js';

/*
 * Appending to a tenant's audit chain. The rows are hashed after a head, and one statement moves
 * the head only if it is still there (compare-and-set on sequence and hash) and inserts the rows
 * only if it moved. A writer that remembers the head it last left appends without a lock (if
 * another writer got there first nothing is written and it re-reads the head); a transaction
 * locks the head first (`appendAuditEvents`). Statements run in `em`'s transaction, if any.
 */

function execute<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T> {
  return em.execute(sql, params as unknown[], 'all') as Promise<T>;
}

/** A tenant's chain head as it is now (created at genesis when the tenant has none), unlocked. */
export async function readChainHead(em: EntityManager, tenantId: string): Promise<ChainHead> {
  // The union's second half does not see the first half's insert: exactly one of them answers.
  const [head] = await execute<{ sequence: number | string; hash: string }[]>(
    em,
    `with created as (
       insert into audit_chain_head (tenant_id, sequence, hash) values (?, 0, ?)
       on conflict (tenant_id) do nothing returning sequence, hash)
     select sequence, hash from created
     union all select sequence, hash from audit_chain_head where tenant_id = ?`,
    [tenantId, GENESIS_HASH, tenantId],
  );
  return { sequence: Number(head!.sequence), hash: head!.hash };
}

/**
 * Appends the drafts after `expected` if that is still the tenant's head. Returns the new head,
 * or `undefined` when the head had moved (nothing was written).
 */
export async function appendAtHead(
  em: EntityManager,
  tenantId: string,
  expected: ChainHead,
  drafts: readonly AuditDraft[],
): Promise<ChainHead | undefined> {
  return (await appendRowsAtHead(em, tenantId, expected, drafts))?.head;
}

async function appendRowsAtHead(
  em: EntityManager,
  tenantId: string,
  expected: ChainHead,
  drafts: readonly AuditDraft[],
): Promise<{ rows: ChainedAuditRow[]; head: ChainHead } | undefined> {
  const { rows, head } = chainAuditRows(tenantId, expected, drafts);
  const records = rows.map((row) => ({
    id: row.id,
    recorded_at: row.recordedAt.toISOString(),
    action: row.action,
    type: row.type,
    outcome: row.outcome,
    actor_user_id: row.actorUserId ?? null,
    actor_roles: row.actorRoles,
    purpose_of_use: row.purposeOfUse ?? null,
    patient_id: row.patientId ?? null,
    entity: row.entity ?? null,
    request_id: row.requestId ?? null,
    client_address: row.clientAddress ?? null,
    sequence: row.sequence,
    previous_hash: row.previousHash,
    hash: row.hash,
    detail: row.detail,
  }));
  const [result] = await execute<{ appended: number }[]>(
    em,
    `with moved as (
       update audit_chain_head set sequence = ?, hash = ?
        where tenant_id = ? and sequence = ? and hash = ?
       returning tenant_id),
     appended as (
       insert into audit_event (id, tenant_id, recorded_at, action, type, outcome, actor_user_id,
         actor_roles, purpose_of_use, patient_id, entity, request_id, client_address, sequence,
         previous_hash, hash, detail)
       select r.id, moved.tenant_id, r.recorded_at, r.action, r.type, r.outcome, r.actor_user_id,
         r.actor_roles, r.purpose_of_use, r.patient_id, r.entity, r.request_id, r.client_address,
         r.sequence, r.previous_hash, r.hash, r.detail
         from moved, jsonb_to_recordset(?::jsonb) as r(id uuid, recorded_at timestamptz,
           action text, type text, outcome text, actor_user_id uuid, actor_roles jsonb,
           purpose_of_use text, patient_id uuid, entity text, request_id text,
           client_address text, sequence bigint, previous_hash text, hash text, detail jsonb)
       returning 1)
     select count(*)::int as appended from appended`,
    [head.sequence, head.hash, tenantId, expected.sequence, expected.hash, JSON.stringify(records)],
  );
  return result!.appended === rows.length ? { rows, head } : undefined;
}

/**
 * Appends audit rows to a tenant's hash chain inside the caller's transaction: locks the
 * tenant's chain head (`FOR UPDATE`; created at genesis when the tenant has none; concurrent
 * writers of the tenant wait their turn until this transaction ends), then places the rows after
 * it and moves the head: two statements once the head exists.
 */
export async function appendAuditEvents(
  em: EntityManager,
  tenantId: string,
  drafts: readonly AuditDraft[],
): Promise<ChainedAuditRow[]> {
  if (drafts.length === 0) return [];
  const lockHead = () =>
    execute<{ sequence: number | string; hash: string }[]>(
      em,
      'select sequence, hash from audit_chain_head where tenant_id = ? for update',
      [tenantId],
    );
  let [locked] = await lockHead();
  if (!locked) {
    // The tenant's first audit row: create the head at genesis (once, whoever gets there first).
    await execute(
      em,
      `insert into audit_chain_head (tenant_id, sequence, hash) values (?, 0, ?)
       on conflict (tenant_id) do nothing`,
      [tenantId, GENESIS_HASH],
    );
    [locked] = await lockHead();
  }
  const head = { sequence: Number(locked!.sequence), hash: locked!.hash };
  const appended = await appendRowsAtHead(em, tenantId, head, drafts);
  if (!appended) throw new Error('the locked audit chain head moved');
  return appended.rows;
}
