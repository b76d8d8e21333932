import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { PENDING_STATUSES, ScheduledMessageStatus } from '../store/scheduled-message-status.js';
import type { PlannedMessage } from './planned-message.js';

/*
 * The scheduled-message queue in set-based SQL: planning 100,000 appointments must not cost
 * 100,000 unit-of-work flushes. Statements run in `em`'s transaction, if any.
 */

/** Rows per insert statement (17 parameters each, well under PostgreSQL's 65,535). */
const INSERT_CHUNK = 1_000;

const PENDING_SQL = PENDING_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * Stores planned messages; one already stored under its idempotency key is left as it is (a
 * redelivered event, a retry after a crash). Returns how many were new.
 */
export async function storePlanned(
  em: EntityManager,
  tenantId: string,
  planned: readonly PlannedMessage[],
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < planned.length; i += INSERT_CHUNK) {
    const chunk = planned.slice(i, i + INSERT_CHUNK);
    const now = new Date().toISOString();
    const rows = chunk.map((p) => ({
      id: randomUUID(),
      idempotency_key: p.idempotencyKey,
      patient_id: p.patientId,
      recipient_type: p.recipient.type,
      recipient_id: p.recipient.id,
      rule_key: p.ruleKey,
      rule_version: p.ruleVersion,
      purpose: p.purpose,
      template_key: p.templateKey,
      about: p.about ?? null,
      trigger: p.trigger,
      due_at: p.dueAt.toISOString(),
      expires_at: p.expiresAt?.toISOString() ?? null,
    }));
    const result = await em.execute<{ id: string }[]>(
      `insert into engagement_scheduled_message (id, tenant_id, created_at, updated_at,
         idempotency_key, patient_id, recipient_type, recipient_id, rule_key, rule_version, purpose,
         template_key, about, trigger, due_at, expires_at, status, attempts)
       select r.id, ?, ?, ?, r.idempotency_key, r.patient_id, r.recipient_type, r.recipient_id,
         r.rule_key, r.rule_version, r.purpose, r.template_key, r.about, r.trigger, r.due_at,
         r.expires_at, '${ScheduledMessageStatus.SCHEDULED}', 0
         from jsonb_to_recordset(?::jsonb) as r(id uuid, idempotency_key text, patient_id uuid,
           recipient_type text, recipient_id uuid, rule_key text, rule_version int, purpose text,
           template_key text, about text, trigger text, due_at timestamptz, expires_at timestamptz)
       on conflict (tenant_id, idempotency_key) do nothing
       returning id`,
      [tenantId, now, now, JSON.stringify(rows)],
      'all',
    );
    inserted += result.length;
  }
  return inserted;
}

/**
 * Cancels the messages about `about` (e.g. `Appointment/<id>`) not yet handed to a channel, but
 * those whose key is in `keep` (what is still planned after a move). Returns how many.
 */
export async function cancelPending(
  em: EntityManager,
  tenantId: string,
  about: string,
  reasonCode: string,
  keep: readonly string[] = [],
): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update engagement_scheduled_message
        set status = '${ScheduledMessageStatus.CANCELLED}', reason_code = ?, updated_at = now()
      where tenant_id = ? and about = ? and status in (${PENDING_SQL})
        and idempotency_key not in (select jsonb_array_elements_text(?::jsonb))
      returning id`,
    [reasonCode, tenantId, about, JSON.stringify(keep)],
    'all',
  );
  return rows.length;
}

/**
 * Cancels a patient's pending messages of one trigger (e.g. `no-show`) planned before
 * `plannedBefore`: the follow-ups a later booking made pointless. Returns how many.
 */
export async function cancelPendingOfPatient(
  em: EntityManager,
  tenantId: string,
  what: { patientId: string; trigger: string; plannedBefore: Date; reasonCode: string },
): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update engagement_scheduled_message
        set status = '${ScheduledMessageStatus.CANCELLED}', reason_code = ?, updated_at = now()
      where tenant_id = ? and patient_id = ? and trigger = ? and status in (${PENDING_SQL})
        and created_at < ?
      returning id`,
    [what.reasonCode, tenantId, what.patientId, what.trigger, what.plannedBefore.toISOString()],
    'all',
  );
  return rows.length;
}
