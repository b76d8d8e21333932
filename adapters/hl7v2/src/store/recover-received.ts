import type { JobDefinition, PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { messageApplier } from '../apply/index.js';
import { MessageIntake } from '../pipeline/message-intake.js';
import { IntegrationMessageStatus } from './integration-message-status.js';
import { pageOfIds } from './reprocess-batch.js';

/** Messages applied per database page. */
const BATCH = 200;

/**
 * Applies, in arrival order, the stored originals still `received` that arrived before `before`:
 * messages a crash caught between their store commit and their application. A sender in
 * original mode would resend them (and the resend would apply them), but an enhanced-mode sender
 * had its commit ACK and will not. Safe beside live intake and other instances: each goes
 * through `MessageIntake.process`, which takes the patient's lock and the row's lock and skips a
 * row that was applied meanwhile. An enhanced-mode message's application ACK, which has no
 * connection to go on, is queued on the sender's `applicationAckDestinations` entry (or the
 * message is marked undelivered). Returns how many it applied or sent to the error queue.
 */
export async function recoverReceived(
  ctx: PluginContext<Hl7v2Config>,
  before: Date,
): Promise<number> {
  const intake = new MessageIntake(ctx, messageApplier());
  return intake.inTenant(async (scope) => {
    let recovered = 0;
    let after: { receivedAt: Date; id: string } | undefined;
    for (;;) {
      const page = await pageOfIds(
        scope,
        { status: IntegrationMessageStatus.RECEIVED, to: before },
        BATCH,
        after,
      );
      for (const { id } of page) {
        // No connection to answer on: an application ACK owed goes to its destination.
        await intake.process(scope, id, undefined, { detached: true });
        recovered++;
      }
      if (page.length < BATCH) break;
      after = page.at(-1);
    }
    if (recovered)
      ctx.logger.warn({ recovered }, 'applied HL7 messages stored but not applied before a crash');
    return recovered;
  });
}

/**
 * The periodic sweep (for an instance that died and is not started again while others run):
 * applies the originals `received` for longer than `recovery.orphanAgeSeconds`, then queues the
 * next sweep `recovery.intervalSeconds` later. The next sweep is queued even when this one
 * fails (the database was away), so one failure does not end the sweeps.
 */
export const recoverJob: JobDefinition<Record<string, never>> = {
  name: 'recover-received',
  async run(_data, _job, plugin) {
    const ctx = plugin as PluginContext<Hl7v2Config>;
    try {
      await recoverReceived(
        ctx,
        new Date(Date.now() - ctx.config.recovery.orphanAgeSeconds * 1000),
      );
    } finally {
      await scheduleRecovery(ctx);
    }
  },
};

/**
 * Queues the next periodic sweep, `recovery.intervalSeconds` from now (once: a sweep still
 * waiting is moved, not queued twice).
 */
export function scheduleRecovery(ctx: PluginContext<Hl7v2Config>) {
  const startAfter = new Date(Date.now() + ctx.config.recovery.intervalSeconds * 1000);
  return ctx.jobs.schedule(
    'recover-received',
    {},
    { tenantId: ctx.config.tenantId, startAfter, singletonKey: 'recover-received' },
  );
}
