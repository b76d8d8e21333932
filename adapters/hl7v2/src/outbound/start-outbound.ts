import type { PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { OUTBOUND_SUBSCRIPTION, OutboundProducer } from './outbound-producer.js';
import { scheduleSend } from './outbound-queue.js';

/**
 * Starts the outbound side when destinations are configured: follows the tenant's appointment
 * events (a durable subscription: after a restart it gets what it missed) and queues a send run
 * per destination, so what was queued or in flight when the hub stopped goes out now.
 */
export async function startOutbound(ctx: PluginContext<Hl7v2Config>): Promise<void> {
  const { outbound, tenantId } = ctx.config;
  if (outbound.length === 0) return;
  const producer = new OutboundProducer(ctx);
  ctx.subscribe(tenantId, (event) => producer.handle(event), ctx.signal, {
    name: OUTBOUND_SUBSCRIPTION,
  });
  for (const destination of outbound) await scheduleSend(ctx, destination.name);
}
