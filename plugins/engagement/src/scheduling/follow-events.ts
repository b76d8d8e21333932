import type { CareEventMessage, CareEventType } from '@caregraph/schema';
import type { PluginContext, TenantScope } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import type { Clock } from './clock.js';

/** What handling one event changed in the queue. */
export interface Reconciled {
  planned: number;
  cancelled: number;
}

/** Plans (or cancels) the messages one event calls for, as the plugin's account. */
export type EventPlanner = (
  scope: TenantScope,
  event: CareEventMessage,
  now: Date,
) => Promise<Reconciled>;

/**
 * Follows the tenant's events of `types` durably (the hub's cursor, named `name`: a restart
 * resumes where it left off, every event at least once) and hands each to its planner. Planners
 * store through idempotency keys, so an event delivered twice plans nothing twice.
 */
export function followEvents(
  ctx: PluginContext<EngagementConfig>,
  clock: Clock,
  name: string,
  planners: Partial<Record<CareEventType, EventPlanner>>,
): void {
  const { tenantId, integrationUserId: userId } = ctx.config;
  ctx.subscribe(
    tenantId,
    async (event: CareEventMessage) => {
      const planner = planners[event.type];
      if (!planner) return;
      const result = await ctx.inTenant({ tenantId, userId }, (scope) =>
        planner(scope, event, clock.now()),
      );
      ctx.metrics.increment('messages_planned', result.planned);
      ctx.metrics.increment('messages_cancelled', result.cancelled);
    },
    ctx.signal,
    { name },
  );
}
