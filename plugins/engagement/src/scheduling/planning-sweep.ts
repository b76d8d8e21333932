import type { PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import type { Clock } from './clock.js';
import { planUpcomingAppointments, type PlanUpcomingResult } from './plan-upcoming.js';

const MINUTE_MS = 60_000;

/** The periodic "plan upcoming appointments" sweep of a started plugin. */
export interface RunningPlanningSweep {
  /** Sweeps now (joins a sweep in progress); resolves with what it planned. */
  runOnce(): Promise<PlanUpcomingResult>;
  /** Stops the timer and waits for a sweep in progress (it stops after its current chunk). */
  stop(): Promise<void>;
}

/**
 * Runs `planUpcomingAppointments` as the plugin's account at start (`planning.sweepAtStart`,
 * in the background: a large tenant's first sweep must not hold up the hub's start) and every
 * `planning.sweepMinutes` (0: never again). The horizon reaches two sweep periods past the
 * rules' longest offset, so a reminder falls due only after a sweep has planned it.
 */
export function startPlanningSweep(
  ctx: PluginContext<EngagementConfig>,
  clock: Clock,
): RunningPlanningSweep {
  const { tenantId, integrationUserId: userId, planning } = ctx.config;
  const controller = new AbortController();
  const signal = AbortSignal.any([ctx.signal, controller.signal]);
  let running: Promise<PlanUpcomingResult> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const runOnce = (): Promise<PlanUpcomingResult> => {
    running ??= (async () => {
      const started = Date.now();
      const result = await ctx.inTenant({ tenantId, userId }, (scope) =>
        planUpcomingAppointments(scope, clock.now(), {
          chunkSize: planning.chunkSize,
          marginMs: 2 * planning.sweepMinutes * MINUTE_MS,
          signal,
        }),
      );
      // A metric of its own: `messages_planned` (the events') has no labels.
      ctx.metrics.increment('messages_planned_by_sweep', result.planned);
      ctx.metrics.observe('planning_sweep_seconds', (Date.now() - started) / 1_000);
      return result;
    })().finally(() => (running = undefined));
    return running;
  };

  const sweep = () =>
    runOnce().catch((error: unknown) =>
      ctx.logger.warn(
        { err: { name: (error as Error).name } },
        'engagement: planning sweep failed; tried again at the next one',
      ),
    );

  const schedule = () => {
    if (signal.aborted || planning.sweepMinutes === 0) return;
    timer = setTimeout(() => void sweep().finally(schedule), planning.sweepMinutes * MINUTE_MS);
    timer.unref();
  };
  if (planning.sweepAtStart) void sweep().finally(schedule);
  else schedule();

  return {
    runOnce,
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
