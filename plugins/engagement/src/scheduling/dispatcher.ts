import type { EntityManager } from '@mikro-orm/sql';
import type { CommunicationChannel } from '@caregraph/schema';
import type { PluginContext } from '@caregraph/plugin-sdk';
import type { DeliveryChannel } from '../channels/index.js';
import type { EngagementConfig } from '../config.js';
import type { TemplateSource } from '../templates/index.js';
import type { Clock } from './clock.js';
import {
  sendClaimedBatch,
  type DispatchOutcome,
  type PerMessageTemplates,
  type SentBatch,
} from './dispatch-message.js';
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
 * (`sendClaimedBatch`: concurrently across recipients, the sends recorded together while the
 * next batch is claimed). The queue
 * is the `engagement_scheduled_message` table itself, so nothing planned is lost by a restart,
 * and instances share it (`claimDue` skips rows another holds).
 */
export function startDispatcher(
  ctx: PluginContext<EngagementConfig>,
  clock: Clock,
  channels: ReadonlyMap<CommunicationChannel, DeliveryChannel>,
  templateSource: TemplateSource,
  templatesFor?: PerMessageTemplates,
): RunningDispatcher {
  const { tenantId, integrationUserId: userId, dispatch } = ctx.config;
  let running: Promise<DispatchOutcome[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  /**
   * Claims and sends one batch, in a tenant scope of its own (a scope's EntityManager keeps what
   * its writes commit: one per batch keeps each flush small). `previous` is the batch whose sends
   * are still being recorded.
   */
  const sendBatch = (previous: SentBatch | undefined) =>
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
        // The tenant's templates over the defaults, read once per batch (cached by the source).
        const templates = ids.length ? await templateSource.current() : [];
        const deps = { ctx, channels, templates, templatesFor };
        return {
          ids,
          sent: await sendClaimedBatch(scope, ids, deps, clock.now(), previous?.sends),
        };
      } catch (error) {
        // The batch's records could not be read: its messages stay claimed until their lease
        // ends and are tried again then, until they run out of attempts.
        ctx.logger.warn(
          { err: { name: (error as Error).name } },
          'engagement: dispatching a batch failed; retried after its lease',
        );
        const retry = ids.map((): DispatchOutcome => 'retry');
        return { ids, sent: { sends: [], outcomes: Promise.resolve(retry) } };
      }
    });

  /**
   * Claims and sends batches until one comes back short; each batch's sends are recorded while
   * the next one is claimed and read (`sendClaimedBatch`).
   */
  const drain = async (): Promise<DispatchOutcome[]> => {
    const all: DispatchOutcome[] = [];
    let previous: SentBatch | undefined;
    try {
      for (;;) {
        const { ids, sent } = await sendBatch(previous);
        if (previous) all.push(...(await previous.outcomes));
        previous = sent;
        if (ids.length < dispatch.batchSize || stopped) break;
      }
    } finally {
      if (previous) all.push(...(await previous.outcomes));
    }
    return all;
  };

  const runOnce = (): Promise<DispatchOutcome[]> => {
    running ??= drain().finally(() => (running = undefined));
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
