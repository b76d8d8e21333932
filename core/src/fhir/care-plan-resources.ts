import type * as fhir from 'fhir/r4.js';
import type { CarePlan, CarePlanActivity, CarePlanGoal } from '@caregraph/schema';
import type { ExportRefs } from './export-refs.js';
import {
  FHIR_SYSTEMS,
  code,
  codeable,
  instant,
  period,
  reference,
  withoutEmpty,
} from './fhir-values.js';

/** A CarePlan resource with its activities inline and references to its goals. */
export function toFhirCarePlan(
  plan: CarePlan,
  goals: readonly CarePlanGoal[],
  activities: readonly CarePlanActivity[],
  refs: ExportRefs,
): fhir.CarePlan {
  return withoutEmpty({
    resourceType: 'CarePlan' as const,
    id: plan.id,
    meta: { lastUpdated: instant(plan.updatedAt) },
    status: plan.status as fhir.CarePlan['status'],
    intent: plan.intent as fhir.CarePlan['intent'],
    category: plan.category ? [codeable(plan.category)!] : undefined,
    title: plan.title,
    description: plan.description,
    subject: refs.patient(),
    period: period(plan.periodStart, plan.periodEnd),
    created: instant(plan.createdAt),
    author: refs.practitioner(plan.author?.id),
    goal: goals.map((goal) => reference('Goal', goal.id)),
    activity: activities.map((activity) => ({
      detail: withoutEmpty({
        status: activity.status as fhir.CarePlanActivityDetail['status'],
        description: activity.description,
        scheduledPeriod: period(activity.scheduledAt, undefined),
      }),
    })),
  });
}

/** A Goal resource of a care plan. */
export function toFhirGoal(goal: CarePlanGoal, refs: ExportRefs): fhir.Goal {
  const target =
    goal.target || goal.dueDate
      ? // gol-1: a target detail needs a measure; the target text is both.
        withoutEmpty({
          measure: goal.target ? { text: goal.target } : undefined,
          detailString: goal.target,
          dueDate: goal.dueDate ?? undefined,
        })
      : undefined;
  return withoutEmpty({
    resourceType: 'Goal' as const,
    id: goal.id,
    meta: { lastUpdated: instant(goal.updatedAt) },
    lifecycleStatus: goal.lifecycleStatus as fhir.Goal['lifecycleStatus'],
    achievementStatus: goal.achievementStatus
      ? code(FHIR_SYSTEMS.goalAchievement, goal.achievementStatus)
      : undefined,
    description: { text: goal.description },
    subject: refs.patient(),
    target: target ? [target] : undefined,
  });
}
