import type { EntityManager } from '@mikro-orm/sql';
import type { CareEventMessage } from '@caregraph/schema';

/**
 * Writes events to the tenant's outbox inside the caller's transaction, without a position: the
 * relay numbers them once they are committed, so concurrent writers of a tenant take no common
 * lock. One statement, not ORM entities: a write's events are inserted after its flush, and
 * entities would cost the commit a second flush.
 */
export async function appendOutboxEvents(
  em: EntityManager,
  tenantId: string,
  messages: readonly CareEventMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((message) => ({
    id: message.id,
    type: message.type,
    patient_id: message.patientId,
    payload: { summary: message.summary, subject: message.subject },
    created_at: new Date(message.occurredAt).toISOString(),
  }));
  await em.execute(
    `insert into outbox_event (id, tenant_id, position, type, patient_id, payload, created_at, published_at)
     select r.id, ?, null, r.type, r.patient_id, r.payload, r.created_at, null
       from jsonb_to_recordset(?::jsonb)
         as r(id uuid, type text, patient_id uuid, payload jsonb, created_at timestamptz)`,
    [tenantId, JSON.stringify(rows)],
  );
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
