import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';

/**
 * Test support: a plugin that does nothing but hand its context to the test, so a test can write
 * model records the GraphQL API has no mutation for (conditions, observations) through
 * `ctx.inTenant`, as an integration would.
 */
export function probePlugin() {
  let context: PluginContext | undefined;
  const plugin = definePlugin({
    id: 'engagement-test-probe',
    version: '0.0.0',
    apiVersion: '^1.6.0',
    async start(ctx) {
      context = ctx;
    },
  });
  return {
    plugin,
    context(): PluginContext {
      if (!context) throw new Error('the probe plugin has not started');
      return context;
    },
  };
}
