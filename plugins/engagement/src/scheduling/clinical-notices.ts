import {
  CareEventType,
  CarePlan,
  CarePlanStatus,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  Task,
  type CareEventMessage,
} from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import type { PluginContext, TenantScope } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import { currentRules } from '../store/rule-repository.js';
import { RuleKind } from '../store/rule-kind.js';
import type { Clock } from './clock.js';
import { followEvents, type EventPlanner, type Reconciled } from './follow-events.js';
import { planningRuleOf } from './planned-message.js';
import { carePlanUpdateTrigger, planNotice, type NoticeFacts } from './plan-notice.js';
import { recipientsOf } from './recipients.js';
import { storePlanned } from './schedule-store.js';

/** The events the clinical notices follow. */
export const CLINICAL_EVENT_TYPES = [
  CareEventType.LAB_RESULT_RELEASED,
  CareEventType.CARE_PLAN_UPDATED,
  CareEventType.TASK_ASSIGNED,
  CareEventType.TASK_COMPLETED,
] as const;

const NOTHING: Reconciled = { planned: 0, cancelled: 0 };
const RELEASABLE: readonly ObservationStatus[] = [
  ObservationStatus.FINAL,
  ObservationStatus.AMENDED,
  ObservationStatus.CORRECTED,
];
/** Plans the patient sees in the portal: a draft is not theirs yet, an error is not a change. */
const ANNOUNCED_PLANS: readonly CarePlanStatus[] = [
  CarePlanStatus.ACTIVE,
  CarePlanStatus.ON_HOLD,
  CarePlanStatus.COMPLETED,
];

/** Plans the notices of the current rules of `kind` for one record and stores them. */
async function planNotices(
  scope: TenantScope,
  kind: RuleKind,
  facts: (em: EntityManager) => Promise<NoticeFacts | undefined>,
  now: Date,
): Promise<Reconciled> {
  return scope.write(async (w) => {
    const em = w.em as EntityManager;
    const found = await facts(em);
    if (!found) return NOTHING;
    const patient = await em.findOne(Patient, found.patientId);
    if (!patient?.active) return NOTHING;
    const rules = await currentRules(em, [kind]);
    const withCaregivers = rules.some((r) => r.definition.includeCaregivers);
    const everyone = (await recipientsOf(em, [patient.id], withCaregivers)).get(patient.id)!;
    const planned = rules.flatMap((rule) =>
      planNotice(
        found,
        { ...planningRuleOf(rule), delay: rule.definition.delay },
        rule.definition.includeCaregivers ? everyone : everyone.slice(0, 1),
        now,
      ),
    );
    return { planned: await storePlanned(em, scope.tenantId, planned), cancelled: 0 };
  });
}

/**
 * A released laboratory result: "a result is available", never which or its value. A result
 * with any security label (sensitivity or restricted confidentiality) is not announced: who
 * reads the phone or inbox would learn that such a result exists, and the labels' rules
 * (opt-in consent under 42 CFR Part 2, refusals) are decided per viewer, which a broadcast
 * cannot honour. The patient still sees it in the portal; the clinician tells them directly.
 */
const labResultReleased: EventPlanner = (scope, event, now) =>
  planNotices(
    scope,
    RuleKind.LAB_RESULT_AVAILABLE,
    async (em) => {
      const observation = await em.findOne(Observation, event.subject.id);
      if (
        !observation?.releasedToPatient ||
        observation.category !== ObservationCategory.LABORATORY ||
        !RELEASABLE.includes(observation.status) ||
        observation.securityLabels.length > 0
      )
        return undefined;
      return {
        patientId: observation.patient.id,
        about: `Observation/${observation.id}`,
        trigger: 'released',
        occurredAt: new Date(event.occurredAt),
      };
    },
    now,
  );

/** A care plan that changed (its row, goals or activities: `CarePlanUpdated`), by id. */
function carePlanChanged(carePlanId: (em: EntityManager) => Promise<string | undefined>) {
  return (scope: TenantScope, event: CareEventMessage, now: Date) =>
    planNotices(
      scope,
      RuleKind.CARE_PLAN_UPDATE,
      async (em) => {
        const id = await carePlanId(em);
        const plan = id ? await em.findOne(CarePlan, id) : undefined;
        if (!plan || !ANNOUNCED_PLANS.includes(plan.status)) return undefined;
        const occurredAt = new Date(event.occurredAt);
        return {
          patientId: plan.patient.id,
          about: `CarePlan/${plan.id}`,
          trigger: carePlanUpdateTrigger(occurredAt),
          occurredAt,
        };
      },
      now,
    );
}

const carePlanUpdated: EventPlanner = (scope, event, now) =>
  carePlanChanged(async () => event.subject.id)(scope, event, now);

/** A task of a care plan assigned or completed is a change of that plan (other tasks are not). */
const carePlanTask: EventPlanner = (scope, event, now) =>
  carePlanChanged(async (em) => (await em.findOne(Task, event.subject.id))?.carePlan?.id)(
    scope,
    event,
    now,
  );

/**
 * Follows released lab results and care-plan changes durably and plans the patient's notices
 * (a portal link, no clinical detail). The care team is not messaged: the same events already
 * reach their `careTeamFeed` (see README, "Clinical notices").
 */
export function followClinicalNotices(ctx: PluginContext<EngagementConfig>, clock: Clock): void {
  followEvents(ctx, clock, 'clinical-notices', {
    [CareEventType.LAB_RESULT_RELEASED]: labResultReleased,
    [CareEventType.CARE_PLAN_UPDATED]: carePlanUpdated,
    [CareEventType.TASK_ASSIGNED]: carePlanTask,
    [CareEventType.TASK_COMPLETED]: carePlanTask,
  });
}
