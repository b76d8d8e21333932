import type { EntityManager } from '@mikro-orm/sql';
import { LockMode } from '@mikro-orm/core';
import { OutboxEvent, OutboxHead, type CareEventMessage } from '@caregraph/schema';

/**
 * Writes events to the tenant's outbox inside the caller's transaction: locks the tenant's
 * `OutboxHead` (`FOR UPDATE`, held until commit, so a tenant's positions commit in allocation
 * order), assigns the next positions and persists the rows (flushed at commit). Sets
 * `position` on each message. Callers that also append audit rows lock the audit head first
 * (one lock order for every writer: no deadlock between the two heads).
 */
export async function appendOutboxEvents(
  em: EntityManager,
  tenantId: string,
  messages: CareEventMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  await em
    .createQueryBuilder(OutboxHead)
    .insert({ tenantId, position: 0 })
    .onConflict('tenantId')
    .ignore()
    .execute();
  const head = await em
    .createQueryBuilder(OutboxHead)
    .select(['position'])
    .where({ tenantId })
    .setLockMode(LockMode.PESSIMISTIC_WRITE)
    .execute<{ position: number | string }>('get');
  let position = Number(head!.position);
  for (const message of messages) {
    position += 1;
    message.position = position;
    em.create(OutboxEvent, {
      id: message.id,
      tenantId,
      position,
      type: message.type,
      patientId: message.patientId,
      payload: { summary: message.summary, subject: message.subject },
      createdAt: new Date(message.occurredAt),
      publishedAt: null,
    });
  }
  await em.createQueryBuilder(OutboxHead).update({ position }).where({ tenantId }).execute();
}

/** An outbox row as the relay and replay read it. */
export interface OutboxRow {
  id: string;
  tenant_id: string;
  position: number | string;
  type: string;
  patient_id: string;
  payload: string | { summary: string; subject: CareEventMessage['subject'] };
  created_at: Date | string;
}

/** The bus message of an outbox row. */
export function messageFromRow(row: OutboxRow): CareEventMessage {
  const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as {
    summary: string;
    subject: CareEventMessage['subject'];
  };
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type as CareEventMessage['type'],
    patientId: row.patient_id,
    occurredAt: new Date(row.created_at).toISOString(),
    summary: payload.summary,
    subject: payload.subject,
    position: Number(row.position),
  };
}
