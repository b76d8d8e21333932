import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { PluginWriteScope, TenantScope } from '@caregraph/plugin-sdk';
import { planMessage, planningRuleOf, type PlannedMessage } from '../scheduling/planned-message.js';
import { storePlanned } from '../scheduling/schedule-store.js';
import { ensureDefaultRule } from '../store/ensure-default-rule.js';
import type { EngagementRule } from '../store/engagement-rule.js';
import { PENDING_STATUSES, ScheduledMessageStatus } from '../store/scheduled-message-status.js';
import type { CareGapRule } from './care-gap-rule.js';
import { gapPeriod, openGapsStatement } from './gap-query.js';

/** The rule whose template and channels the sweep's patient messages use. */
export const CARE_GAP_OUTREACH_RULE = 'care-gap-outreach';
/** A care-gap message not sent within this long (deferred by caps and quiet hours) is dropped. */
const OUTREACH_VALID_MS = 30 * 86_400_000;
const PENDING_SQL = PENDING_STATUSES.map((s) => `'${s}'`).join(', ');

/** What a sweep does. */
export interface SweepOptions {
  rules: readonly CareGapRule[];
  now: Date;
  /** Patients per chunk: each chunk is one transaction over every rule. */
  chunkSize: number;
}

/** What a sweep did. */
export interface SweepResult {
  /** Gaps raised (a Task each, and a message when outreach is on). */
  raised: number;
  /** Messages planned. */
  planned: number;
  /** Gaps closed: evidence arrived, or the patient left the population. */
  closed: number;
  /** Pending messages of closed gaps that were withdrawn. */
  cancelled: number;
}

interface OpenGapRow {
  patient_id: string;
  last_evidence_at: Date | string | null;
  care_team_id: string | null;
}

/**
 * Evaluates the care-gap rules over the tenant's patients, a chunk of patient ids at a time, in
 * set-based SQL: each open gap not raised before (per patient, gap and period) gets a Task for the
 * patient's care team and one outreach message (planned with an idempotency key per patient, gap
 * and period); each gap raised earlier that is no longer open is closed and its pending message
 * withdrawn. Running it again raises nothing new.
 */
export async function sweepCareGaps(
  scope: TenantScope,
  options: SweepOptions,
): Promise<SweepResult> {
  const result: SweepResult = { raised: 0, planned: 0, closed: 0, cancelled: 0 };
  if (options.rules.length === 0) return result;
  const outreach = await scope.write((w) =>
    ensureDefaultRule(
      w.em as EntityManager,
      scope.tenantId,
      CARE_GAP_OUTREACH_RULE,
      scope.actorUserId,
    ),
  );
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const ids = await (scope.em.fork() as EntityManager).execute<{ id: string }[]>(
      `select id from patient where tenant_id = ? and id > ? order by id limit ?`,
      [scope.tenantId, after, options.chunkSize],
      'all',
    );
    if (ids.length === 0) return result;
    const upTo = ids[ids.length - 1]!.id;
    await scope.write(async (w) => {
      for (const rule of options.rules) {
        const chunk = await sweepChunk(w, scope, rule, outreach, { ...options, after, upTo });
        result.raised += chunk.raised;
        result.planned += chunk.planned;
        result.closed += chunk.closed;
        result.cancelled += chunk.cancelled;
      }
    });
    if (ids.length < options.chunkSize) return result;
    after = upTo;
  }
}

async function sweepChunk(
  w: PluginWriteScope,
  scope: TenantScope,
  rule: CareGapRule,
  outreach: EngagementRule,
  range: SweepOptions & { after: string; upTo: string },
): Promise<SweepResult> {
  const em = w.em as EntityManager;
  const { tenantId } = scope;
  const now = range.now;
  const nowIso = now.toISOString();
  const statement = openGapsStatement(rule, {
    tenantId,
    now,
    after: range.after,
    upTo: range.upTo,
  });
  const open = await em.execute<OpenGapRow[]>(statement.sql, statement.params, 'all');
  const gaps = open.map((row) => ({
    id: randomUUID(),
    patient_id: row.patient_id,
    period: gapPeriod(row.last_evidence_at),
    last_evidence_at: row.last_evidence_at ? new Date(row.last_evidence_at).toISOString() : null,
    care_team_id: row.care_team_id,
  }));
  // A gap of a period raised before stays as it is (reopened if it had closed): no second Task.
  const inserted = gaps.length
    ? await em.execute<{ id: string; patient_id: string; inserted: boolean }[]>(
        `insert into engagement_care_gap (id, tenant_id, created_at, updated_at, patient_id, gap_key,
           period, status, opened_at, last_evidence_at)
         select r.id, ?, ?::timestamptz, ?::timestamptz, r.patient_id, ?, r.period, 'open', ?::timestamptz, r.last_evidence_at
           from jsonb_to_recordset(?::jsonb) as r(id uuid, patient_id uuid, period text, last_evidence_at timestamptz)
         on conflict (tenant_id, patient_id, gap_key, period) do update
           set status = 'open', closed_at = null, updated_at = excluded.updated_at
           where engagement_care_gap.status = 'closed'
         returning id, patient_id, (xmax = 0) as inserted`,
        [tenantId, nowIso, nowIso, rule.key, nowIso, JSON.stringify(gaps)],
        'all',
      )
    : [];
  const raised = inserted.filter((row) => row.inserted);
  const byId = new Map<string, (typeof gaps)[number]>(gaps.map((gap) => [gap.id, gap]));
  const tasks: { id: string; task_id: string }[] = [];
  const planned: PlannedMessage[] = [];
  for (const row of raised) {
    const gap = byId.get(row.id)!;
    const task = await w.tasks.create({
      patientId: gap.patient_id,
      title: rule.title,
      description: `Raised by the care-gap sweep (rule ${rule.key}). The gap closes by itself when the evidence is recorded; complete this task then.`,
      ...(gap.care_team_id ? { ownerCareTeamId: gap.care_team_id } : {}),
    });
    tasks.push({ id: gap.id, task_id: task.id });
    w.audit({
      action: 'C',
      type: 'CareGap',
      entity: `CareGap/${gap.id}`,
      patientId: gap.patient_id,
      detail: { gap: rule.key, period: gap.period, task: task.id },
    });
    if (!outreach.active) continue;
    const recipient = { type: 'Patient' as const, id: gap.patient_id as string };
    planned.push(
      planMessage(planningRuleOf(outreach), {
        patientId: gap.patient_id,
        recipient,
        about: `CareGap/${gap.id}`,
        trigger: `care-gap:${rule.key}`,
        dueAt: now,
        expiresAt: new Date(now.getTime() + OUTREACH_VALID_MS),
        key: { about: `CareGap/${rule.key}@${gap.period}`, trigger: 'care-gap' },
      }),
    );
  }
  if (tasks.length)
    await em.execute(
      `update engagement_care_gap g set task_id = t.task_id
         from jsonb_to_recordset(?::jsonb) as t(id uuid, task_id uuid)
        where g.id = t.id and g.tenant_id = ?`,
      [JSON.stringify(tasks), tenantId],
      'run',
    );
  const plannedCount = await storePlanned(em, tenantId, planned);
  const closedRows = await em.execute<{ id: string }[]>(
    `update engagement_care_gap g set status = 'closed', closed_at = ?::timestamptz, updated_at = ?::timestamptz
      where g.tenant_id = ? and g.gap_key = ? and g.status = 'open' and g.patient_id > ? and g.patient_id <= ?
        and not exists (select 1 from jsonb_to_recordset(?::jsonb) as o(patient_id uuid, period text)
                         where o.patient_id = g.patient_id and o.period = g.period)
      returning g.id`,
    [nowIso, nowIso, tenantId, rule.key, range.after, range.upTo, JSON.stringify(gaps)],
    'all',
  );
  const cancelled = closedRows.length
    ? await em.execute<{ id: string }[]>(
        `update engagement_scheduled_message
            set status = '${ScheduledMessageStatus.CANCELLED}', reason_code = 'CARE_GAP_CLOSED', updated_at = now()
          where tenant_id = ? and status in (${PENDING_SQL})
            and about in (select 'CareGap/' || jsonb_array_elements_text(?::jsonb))
          returning id`,
        [tenantId, JSON.stringify(closedRows.map((r) => r.id))],
        'all',
      )
    : [];
  return {
    raised: raised.length,
    planned: plannedCount,
    closed: closedRows.length,
    cancelled: cancelled.length,
  };
}
