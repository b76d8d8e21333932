import { PluginErrorCode, type PluginDefinition } from '@caregraph/plugin-sdk';
import { createLogger } from '../logging/logger.js';
import { createStandaloneContext } from './standalone-context.js';
import type { ValidatedPlugin } from './validate-plugins.js';

const plugin: ValidatedPlugin = {
  definition: { id: 'hl7v2', version: '1.0.0', apiVersion: '^1.5.0' } as PluginDefinition,
  config: { listen: { host: '127.0.0.1', port: 2575 } },
  index: 0,
};

describe('the context of a standalone plugin command', () => {
  const abort = new AbortController();
  const ctx = createStandaloneContext(plugin, createLogger({ level: 'silent' }), abort.signal);

  it('has the plugin id, its validated config, a logger and the command signal', () => {
    expect(ctx.pluginId).toBe('hl7v2');
    expect(ctx.config).toEqual({ listen: { host: '127.0.0.1', port: 2575 } });
    expect(() => ctx.logger.info({}, 'no hub')).not.toThrow();
    expect(ctx.signal).toBe(abort.signal);
  });

  it.each([
    ['inTenant', () => ctx.inTenant({ tenantId: 't', userId: 'u' }, async () => 0)],
    ['asCaller', () => ctx.asCaller({})],
    ['subscribe', () => ctx.subscribe('t', async () => undefined, abort.signal)],
    ['jobs', () => ctx.jobs.schedule('prune', {})],
    ['metrics', () => ctx.metrics.increment('sent_total')],
  ])('refuses %s with CG_ERR_PLUGIN_STANDALONE_COMMAND (no hub behind it)', (service, use) => {
    expect(use).toThrow(
      expect.objectContaining({
        code: PluginErrorCode.STANDALONE_COMMAND,
        message: expect.stringContaining(`ctx.${service} is not available`),
      }),
    );
  });
});
