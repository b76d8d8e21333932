import type { FilterQuery } from '@mikro-orm/core';
import type { JobDefinition, PluginContext, TenantScope } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { messageApplier } from '../apply/index.js';
import { MessageIntake } from '../pipeline/message-intake.js';
import { IntegrationMessage } from './integration-message.js';
import { messageWhere, type MessageFilter } from './message-query.js';

/** Messages reprocessed per database page. */
const BATCH = 200;

/** Ids of the originals matching a filter, oldest first, after a position. */
export async function pageOfIds(
  scope: TenantScope,
  filter: MessageFilter,
  limit: number,
  after?: { receivedAt: Date; id: string },
): Promise<{ id: string; receivedAt: Date }[]> {
  const conditions: FilterQuery<IntegrationMessage>[] = [
    messageWhere(scope, filter),
    { original: true },
  ];
  if (after)
    conditions.push({
      $or: [
        { receivedAt: { $gt: after.receivedAt } },
        { receivedAt: after.receivedAt, id: { $gt: after.id } },
      ],
    });
  return scope.em
    .fork()
    .find(
      IntegrationMessage,
      { $and: conditions },
      { orderBy: { receivedAt: 'asc', id: 'asc' }, limit, fields: ['id', 'receivedAt'] },
    );
}

/** Data of a bulk reprocessing job (JSON: dates arrive as strings). */
interface ReprocessData {
  filter: Omit<MessageFilter, 'from' | 'to'> & { from?: string | Date; to?: string | Date };
}

/**
 * The durable job behind `reprocessIntegrationMessages`: every matching message in arrival order,
 * each as its own transaction (a failure stays in the error queue and the job goes on).
 */
export const reprocessJob: JobDefinition<ReprocessData> = {
  name: 'reprocess',
  retryLimit: 3,
  async run(data, _job, ctx) {
    const intake = new MessageIntake(ctx as PluginContext<Hl7v2Config>, messageApplier());
    const filter: MessageFilter = {
      ...data.filter,
      from: data.filter.from ? new Date(data.filter.from) : undefined,
      to: data.filter.to ? new Date(data.filter.to) : undefined,
    };
    await intake.inTenant(async (scope) => {
      let after: { receivedAt: Date; id: string } | undefined;
      for (;;) {
        const ids = await pageOfIds(scope, filter, BATCH, after);
        for (const { id } of ids) await intake.reprocess(id);
        if (ids.length < BATCH) return;
        after = ids.at(-1);
      }
    });
  },
};
