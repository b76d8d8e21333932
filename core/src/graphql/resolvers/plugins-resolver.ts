import { Query, Resolver } from 'type-graphql';
import type { PluginStatusReport } from '@caregraph/plugin-sdk';
import { PluginStatus, type PluginState } from '../types/plugin-status.js';

/** Where the `plugins` query reads statuses from (the plugin host). */
export interface PluginStatusSource {
  statuses(): PluginStatusReport[];
}

/**
 * `plugins`: the registered plugins and their states (admin only, root-field-access.ts). The hub
 * passes its plugin host through the schema's container; a schema built without one (printing
 * the SDL) lists none.
 */
@Resolver()
export class PluginsResolver {
  constructor(private readonly host?: PluginStatusSource) {}

  @Query(() => [PluginStatus], { description: 'Registered plugins and their states.' })
  plugins(): PluginStatus[] {
    return (this.host?.statuses() ?? []).map((s) => ({ ...s, state: s.state as PluginState }));
  }
}
