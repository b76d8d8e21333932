import type { EntityManager } from '@mikro-orm/sql';
import { OutboxEvent, type CareEventMessage } from '@caregraph/schema';

/**
 * Writes events to the tenant's outbox inside the caller's transaction (flushed at commit),
 * without a position: the relay numbers them once they are committed, so concurrent writers of
 * a tenant take no common lock.
 */
export function appendOutboxEvents(
  em: EntityManager,
  tenantId: string,
  messages: CareEventMessage[],
): void {
  for (const message of messages)
    em.create(OutboxEvent, {
      id: message.id,
      tenantId,
      position: null,
      type: message.type,
      patientId: message.patientId,
      payload: { summary: message.summary, subject: message.subject },
      createdAt: new Date(message.occurredAt),
      publishedAt: null,
    });
}

/** The columns of an `OutboxRow`, for the statements that read them. */
export const OUTBOX_ROW_COLUMNS = 'id, tenant_id, position, type, patient_id, payload, created_at';

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
