import type { Hub } from '../server/create-hub.js';

/** A hub's audience-routing counters (as `/metrics` serves them): woken and skipped subscriptions. */
export async function routingCounters(hub: Hub): Promise<{ wakeups: number; skips: number }> {
  const value = async (name: string) =>
    (await hub.metrics.registry.getSingleMetric(name)!.get()).values[0]?.value ?? 0;
  return {
    wakeups: await value('caregraph_subscription_wakeups_total'),
    skips: await value('caregraph_subscription_routed_skips_total'),
  };
}
