import type { JobDefinition, PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import type { Clock } from '../scheduling/clock.js';
import { sweepCareGaps } from './sweep-care-gaps.js';

const JOB = 'care-gap-sweep';

/**
 * The periodic care-gap sweep of the plugin's tenant: sweeps (`sweepCareGaps`, at the
 * scheduler's clock), then queues its next run `careGaps.everyMinutes` later. A failed run is
 * retried by the queue; the sweep is idempotent, so a retry raises nothing twice.
 */
export function careGapSweepJob(clock: Clock): JobDefinition<Record<string, never>> {
  return {
    name: JOB,
    async run(_data, _job, plugin) {
      const ctx = plugin as PluginContext<EngagementConfig>;
      const { tenantId, integrationUserId: userId, careGaps } = ctx.config;
      if (!careGaps.enabled) return;
      const result = await ctx.inTenant({ tenantId, userId }, (scope) =>
        sweepCareGaps(scope, {
          rules: careGaps.rules,
          now: clock.now(),
          chunkSize: careGaps.chunkSize,
        }),
      );
      ctx.logger.info({ ...result }, 'engagement: care-gap sweep done');
      ctx.metrics.increment('care_gaps_raised', result.raised);
      ctx.metrics.increment('care_gaps_closed', result.closed);
      await scheduleCareGapSweep(ctx, new Date(Date.now() + careGaps.everyMinutes * 60_000));
    },
  };
}

/** Queues the sweep (once: a queued run is moved, not queued twice). */
export function scheduleCareGapSweep(
  ctx: PluginContext<EngagementConfig>,
  startAfter: Date,
): Promise<string> {
  return ctx.jobs.schedule(
    JOB,
    {},
    { tenantId: ctx.config.tenantId, startAfter, singletonKey: JOB },
  );
}
