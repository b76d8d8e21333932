import type { PluginContext } from '@caregraph/plugin-sdk';
import type { Logger } from '../logging/logger.js';
import { PluginError } from './plugin-error.js';
import type { ValidatedPlugin } from './validate-plugins.js';

/**
 * The context of a standalone plugin command (`standalone: true`): the plugin's validated config,
 * a logger and the command's signal, and no hub behind it, so every service that needs the
 * database or a running hub throws `CG_ERR_PLUGIN_STANDALONE_COMMAND`.
 */
export function createStandaloneContext(
  plugin: ValidatedPlugin,
  logger: Logger,
  signal: AbortSignal,
): PluginContext {
  const id = plugin.definition.id;
  const unavailable = (service: string) => () => {
    throw PluginError.standaloneCommand(id, service);
  };
  return {
    pluginId: id,
    config: plugin.config,
    logger: logger.child({ plugin: id }),
    signal,
    metrics: {
      increment: unavailable('metrics'),
      observe: unavailable('metrics'),
    },
    jobs: { schedule: unavailable('jobs') },
    inTenant: unavailable('inTenant'),
    asCaller: unavailable('asCaller'),
    subscribe: unavailable('subscribe'),
  };
}
