import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';
import { hl7v2ConfigSchema, type Hl7v2Config } from '../config.js';

/**
 * Test support: a plugin that only keeps the context the hub gives it, with the adapter's
 * config, so a test can act beside the adapter as another instance would (store a message and
 * never apply it, hold a patient's lock in a transaction of its own).
 */
export function contextCapturingPlugin(id: string) {
  let captured: PluginContext<Hl7v2Config> | undefined;
  const plugin = definePlugin({
    id,
    version: '0.1.0',
    apiVersion: '^1.4.0',
    config: hl7v2ConfigSchema,
    async start(ctx) {
      captured = ctx as PluginContext<Hl7v2Config>;
    },
  });
  const context = (): PluginContext<Hl7v2Config> => {
    if (!captured) throw new Error(`${id} has not been started`);
    return captured;
  };
  return { plugin, context };
}
