import type { MigrationObject } from '@mikro-orm/core';
import { pluginSchemaParts, type PluginSchemaParts } from './plugin-schema.js';
import { validatePlugins, type PluginEntry, type ValidatedPlugin } from './validate-plugins.js';

export { PluginError } from './plugin-error.js';
export { PluginHost, DEFAULT_RESTART_POLICY, type RestartPolicy } from './plugin-host.js';
export { pluginRoutePrefix } from './plugin-routes.js';
export { validatePlugins, type PluginEntry, type ValidatedPlugin } from './validate-plugins.js';
export { RESERVED_COMMAND_OPTIONS, validatePluginCommands } from './validate-commands.js';
export { createStandaloneContext } from './standalone-context.js';

/** The registered plugins after validation, and what they add to the ORM and the schema. */
export interface PreparedPlugins {
  plugins: ValidatedPlugin[];
  schema: PluginSchemaParts;
  orm: { entities: unknown[]; migrations: MigrationObject[]; owners: Map<unknown, string> };
  /** Whether a plugin declares jobs (the job queue starts only then). */
  hasJobs: boolean;
}

/** The name a plugin migration is recorded under in `caregraph_migrations`. */
export function pluginMigrationName(pluginId: string, name: string): string {
  return `plugin:${pluginId}:${name}`;
}

/**
 * Validates the plugins given to `createHub` (definitions, ids, API version, dependencies,
 * config, GraphQL names and permission rules), before the database opens. Throws the first
 * problem as a `PluginError` (`CG_ERR_PLUGIN_*`, with `details.path`).
 */
export async function preparePlugins(entries: readonly PluginEntry[]): Promise<PreparedPlugins> {
  const plugins = await validatePlugins(entries);
  const schema = await pluginSchemaParts(plugins);
  return {
    plugins,
    schema,
    orm: {
      entities: plugins.flatMap((p) => [...(p.definition.entities ?? [])]),
      owners: new Map(
        plugins.flatMap((p) => (p.definition.entities ?? []).map((e) => [e, p.definition.id])),
      ),
      migrations: plugins.flatMap((p) =>
        (p.definition.migrations ?? []).map((m) => ({
          name: pluginMigrationName(p.definition.id, m.name),
          class: m.class as MigrationObject['class'],
        })),
      ),
    },
    hasJobs: plugins.some((p) => p.definition.jobs?.length),
  };
}
