import { MedicationRequest, MedicationRequestStatus } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import type { JobDefinition, PluginContext, TenantScope } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import { EngagementRule } from '../store/engagement-rule.js';
import { currentRules } from '../store/rule-repository.js';
import { RuleKind } from '../store/rule-kind.js';
import { ScheduledMessage } from '../store/scheduled-message.js';
import { PENDING_STATUSES } from '../store/scheduled-message-status.js';
import type { Clock } from './clock.js';
import {
  planAdherenceCheckIn,
  planRefillReminders,
  remindable,
  type MedicationFacts,
} from './plan-medication-messages.js';
import { planningRuleOf, type PlannedMessage } from './planned-message.js';
import { recipientsOf } from './recipients.js';
import { cancelPending, storePlanned } from './schedule-store.js';

/** The job's name (`plugin.engagement.medication-sweep` on the hub's queue). */
export const MEDICATION_SWEEP_JOB = 'medication-sweep';
const MEDICATION_RULES = [RuleKind.REFILL_DUE, RuleKind.ADHERENCE_CHECK_IN] as const;
/** Medication requests read and planned per transaction. */
const PAGE = 500;

/** What one sweep did. */
export interface SweepResult {
  planned: number;
  cancelled: number;
}

function factsOf(request: MedicationRequest): MedicationFacts {
  return {
    id: request.id,
    patientId: request.patient.id,
    status: request.status,
    authoredOn: request.authoredOn,
    daysSupply: request.daysSupply,
    refillsAllowed: request.refillsAllowed,
    securityLabels: request.securityLabels,
  };
}

function planFor(
  rules: readonly EngagementRule[],
  medications: readonly MedicationFacts[],
  recipients: ReadonlyMap<string, Parameters<typeof planRefillReminders>[2]>,
  now: Date,
): PlannedMessage[] {
  return rules.flatMap((rule) =>
    medications.flatMap((medication) => {
      const everyone = recipients.get(medication.patientId) ?? [];
      const to = rule.definition.includeCaregivers ? everyone : everyone.slice(0, 1);
      const planning = planningRuleOf(rule);
      if (rule.kind === RuleKind.REFILL_DUE)
        return planRefillReminders(
          medication,
          { ...planning, offsets: rule.definition.offsets ?? [] },
          to,
          now,
        );
      return rule.definition.delay
        ? planAdherenceCheckIn(medication, { ...planning, cadence: rule.definition.delay }, to, now)
        : [];
    }),
  );
}

/**
 * One sweep over the tenant's active medication requests, a page at a time (one transaction
 * each, set-based inserts): plans each one's refill reminder of the current supply period and its
 * next adherence check-in from the current rules. Keys name the period and the check-in, so a
 * sweep that plans what an earlier one did stores nothing. Then the pending medication messages
 * of requests no longer remindable (stopped, completed, labelled, gone) are cancelled.
 */
export async function sweepMedications(scope: TenantScope, now: Date): Promise<SweepResult> {
  const rules = await currentRules(scope.em.fork() as EntityManager, MEDICATION_RULES);
  let planned = 0;
  let after: string | undefined;
  if (rules.length > 0)
    for (;;) {
      const page = await scope.write(async (w) => {
        const em = w.em as EntityManager;
        const requests = await em.find(
          MedicationRequest,
          {
            status: MedicationRequestStatus.ACTIVE,
            patient: { active: true },
            ...(after ? { id: { $gt: after } } : {}),
          },
          { orderBy: { id: 'asc' }, limit: PAGE },
        );
        const medications = requests.map(factsOf).filter(remindable);
        const withCaregivers = rules.some((r) => r.definition.includeCaregivers);
        const recipients = await recipientsOf(
          em,
          medications.map((m) => m.patientId),
          withCaregivers,
        );
        const stored = await storePlanned(
          em,
          scope.tenantId,
          planFor(rules, medications, recipients, now),
        );
        return { stored, last: requests.at(-1)?.id, full: requests.length === PAGE };
      });
      planned += page.stored;
      after = page.last;
      if (!page.full) break;
    }
  return { planned, cancelled: await cancelStopped(scope) };
}

/** Cancels the pending refill and check-in messages of requests that are no longer remindable. */
async function cancelStopped(scope: TenantScope): Promise<number> {
  return scope.write(async (w) => {
    const em = w.em as EntityManager;
    const keys = (
      await em.find(EngagementRule, { kind: { $in: [...MEDICATION_RULES] } }, { fields: ['key'] })
    ).map((rule) => rule.key);
    if (keys.length === 0) return 0;
    const pending = await em.find(
      ScheduledMessage,
      { ruleKey: { $in: [...new Set(keys)] }, status: { $in: [...PENDING_STATUSES] } },
      { fields: ['about'] },
    );
    const ids = [
      ...new Set(pending.map((m) => m.about?.replace(/^MedicationRequest\//, '') ?? '')),
    ].filter(Boolean);
    if (ids.length === 0) return 0;
    const requests = await em.find(MedicationRequest, { id: { $in: ids } });
    const still = new Set(
      requests
        .map(factsOf)
        .filter(remindable)
        .map((m) => m.id),
    );
    let cancelled = 0;
    for (const id of ids.filter((id) => !still.has(id)))
      cancelled += await cancelPending(
        em,
        scope.tenantId,
        `MedicationRequest/${id}`,
        'MEDICATION_NOT_ACTIVE',
      );
    return cancelled;
  });
}

/** Queues the next sweep (once: a sweep already waiting is moved, not doubled). */
export function scheduleMedicationSweep(ctx: PluginContext<EngagementConfig>, startAfter: Date) {
  return ctx.jobs.schedule(
    MEDICATION_SWEEP_JOB,
    {},
    { tenantId: ctx.config.tenantId, startAfter, singletonKey: MEDICATION_SWEEP_JOB },
  );
}

/**
 * The periodic medication sweep: a durable job on the hub's queue that sweeps, then queues its
 * next run `medicationSweep.everySeconds` later (a failed run is retried by the queue, with
 * backoff). Planning reads the scheduler's clock; the job's timing is the queue's.
 */
export function medicationSweepJob(clock: Clock): JobDefinition<Record<string, never>> {
  return {
    name: MEDICATION_SWEEP_JOB,
    async run(_data, _job, plugin) {
      const ctx = plugin as PluginContext<EngagementConfig>;
      const { tenantId, integrationUserId: userId, medicationSweep } = ctx.config;
      const result = await ctx.inTenant({ tenantId, userId }, (scope) =>
        sweepMedications(scope, clock.now()),
      );
      ctx.metrics.increment('messages_planned', result.planned);
      ctx.metrics.increment('messages_cancelled', result.cancelled);
      await scheduleMedicationSweep(
        ctx,
        new Date(Date.now() + medicationSweep.everySeconds * 1_000),
      );
    },
  };
}
