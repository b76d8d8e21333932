import type { EntityManager } from '@mikro-orm/sql';
import type { JobDefinition, PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { MessageIntake } from '../pipeline/message-intake.js';
import { messageApplier } from '../apply/index.js';
import { IntegrationMessageStatus } from './integration-message-status.js';

/** Statuses that are done with: pruned after the retention period. The error queue is kept. */
const PRUNABLE = [
  IntegrationMessageStatus.PROCESSED,
  IntegrationMessageStatus.DUPLICATE,
  IntegrationMessageStatus.NOT_MAPPED,
  IntegrationMessageStatus.IGNORED,
];
const DAY_MS = 86_400_000;
/** Rows deleted per statement, so a large backlog never holds one long transaction. */
const PRUNE_BATCH = 5_000;

/** Deletes the tenant's finished messages received before `before`; returns how many. */
export async function pruneMessages(
  ctx: PluginContext<Hl7v2Config>,
  before: Date,
): Promise<number> {
  const intake = new MessageIntake(ctx, messageApplier());
  return intake.inTenant(async (scope) => {
    let total = 0;
    for (;;) {
      const deleted = await scope.write(async (w) => {
        const result = await (w.em as EntityManager).execute(
          `delete from "hl7_message" where "id" in (select "id" from "hl7_message" where "tenant_id" = ? and "status" in (?, ?, ?, ?) and "received_at" < ? limit ${PRUNE_BATCH})`,
          [scope.tenantId, ...PRUNABLE, before],
          'run',
        );
        return (result as { affectedRows?: number }).affectedRows ?? 0;
      });
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  });
}

/** The daily retention job: prunes, then schedules its next run. */
export const pruneJob: JobDefinition<Record<string, never>> = {
  name: 'prune',
  async run(_data, _job, plugin) {
    const ctx = plugin as PluginContext<Hl7v2Config>;
    const before = new Date(Date.now() - ctx.config.retentionDays * DAY_MS);
    const deleted = await pruneMessages(ctx, before);
    ctx.logger.info({ deleted, before }, 'pruned HL7 messages past retention');
    await schedulePrune(ctx, new Date(Date.now() + DAY_MS));
  },
};

/** Queues the retention job (once: a queued run is not queued twice). */
export function schedulePrune(ctx: PluginContext<Hl7v2Config>, startAfter: Date) {
  return ctx.jobs.schedule(
    'prune',
    {},
    { tenantId: ctx.config.tenantId, startAfter, singletonKey: 'prune' },
  );
}
