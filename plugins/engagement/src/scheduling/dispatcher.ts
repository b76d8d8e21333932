import type { EntityManager } from '@mikro-orm/sql';
import type { CommunicationChannel } from '@caregraph/schema';
import type { PluginContext } from '@caregraph/plugin-sdk';
import type { DeliveryChannel } from '../channels/index.js';
import type { EngagementConfig } from '../config.js';
import type { MessageTemplate } from '../templates/index.js';
import type { Clock } from './clock.js';
import { dispatchClaimedBatch, type DispatchOutcome } from './dispatch-message.js';
import { claimDue } from './dispatch-store.js';

/** A running dispatcher. */
export interface RunningDispatcher {
  /** Claims and dispatches one batch of due messages now; resolves with what became of them. */
  runOnce(): Promise<DispatchOutcome[]>;
  /** Stops polling, waits for the batch in hand, closes the channels. */
  stop(): Promise<void>;
}

/**
 * The send side of the scheduler: every `dispatch.pollMs` it claims the tenant's due messages
 * (a batch at a time, again at once while batches come back full) and dispatches them
 * (`dispatchClaimedBatch`: concurrently across recipients, the sends recorded together). The queue
 * is the `engagement_scheduled_message` table itself, so nothing planned is lost by a restart,
 * and instances share it (`claimDue` skips rows another holds).
 */
export function startDispatcher(
  ctx: PluginContext<EngagementConfig>,
  clock: Clock,
  channels: ReadonlyMap<CommunicationChannel, DeliveryChannel>,
  templates: readonly MessageTemplate[],
): RunningDispatcher {
  const { tenantId, integrationUserId: userId, dispatch } = ctx.config;
  let running: Promise<DispatchOutcome[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const batch = () =>
    ctx.inTenant({ tenantId, userId }, async (scope) => {
      const now = clock.now();
      const leaseUntil = new Date(now.getTime() + dispatch.leaseSeconds * 1_000);
      const ids = await claimDue(
        scope.em.fork() as EntityManager,
        tenantId,
        now,
        leaseUntil,
        dispatch.batchSize,
      );
      try {
        return await dispatchClaimedBatch(scope, ids, { ctx, channels, templates }, clock.now());
      } catch (error) {
        // The batch's records could not be read: its messages stay claimed until their lease
        // ends and are tried again then, until they run out of attempts.
        ctx.logger.warn(
          { err: { name: (error as Error).name } },
          'engagement: dispatching a batch failed; retried after its lease',
        );
        return ids.map((): DispatchOutcome => 'retry');
      }
    });

  const runOnce = (): Promise<DispatchOutcome[]> => {
    running ??= (async () => {
      const all: DispatchOutcome[] = [];
      for (;;) {
        const outcomes = await batch();
        all.push(...outcomes);
        if (outcomes.length < dispatch.batchSize || stopped) return all;
      }
    })().finally(() => (running = undefined));
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .then((outcomes) => {
          for (const outcome of outcomes)
            ctx.metrics.increment('messages_dispatched', 1, { outcome });
        })
        .catch((error: unknown) =>
          ctx.logger.warn({ err: { name: (error as Error).name } }, 'engagement: dispatch failed'),
        )
        .finally(schedule);
    }, dispatch.pollMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
      await Promise.all([...channels.values()].map((c) => c.close()));
    },
  };
}
