import type { CareEventType } from '@caregraph/schema';
import type { PluginCommand } from './commands.js';
import type { ConfigOf, ConfigSchema } from './config-schema.js';
import type { PluginContext } from './context.js';
import type { JobDefinition } from './jobs.js';
import type { PluginPatientData } from './patient-data.js';
import type { PluginPermissions } from './permissions.js';
import type { PluginRoute } from './routes.js';

/** A class (an entity or a type-graphql resolver). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PluginClass = abstract new (...args: any[]) => unknown;

/**
 * A committed migration of the plugin's own tables: a MikroORM `Migration` subclass. `name` is
 * unique within the plugin; the hub records it as `plugin:<id>:<name>` (see README, "Entities
 * and migrations").
 */
export interface PluginMigration {
  name: string;
  class: PluginClass;
}

/** What a health check reports; `degraded` keeps the plugin serving but shows on `/health`. */
export interface PluginHealth {
  status: 'ok' | 'degraded';
  message?: string;
}

/** Event types the plugin publishes and follows. */
export interface PluginTopics {
  emits?: readonly CareEventType[];
  consumes?: readonly CareEventType[];
}

/** Everything a plugin contributes to the hub. */
export interface PluginDefinition<S extends ConfigSchema | undefined = ConfigSchema | undefined> {
  /** Unique, kebab-case (`wearable-devices`); prefixes its routes, jobs and metrics. */
  id: string;
  /** The plugin's own version (semver). */
  version: string;
  /** The plugin API range the plugin was written for, e.g. `^1.0.0` (see PLUGIN_API_VERSION). */
  apiVersion: string;
  /** Ids of plugins that must be registered and are started before this one. */
  dependsOn?: readonly string[];
  /** Validates the config given at registration; the output is `ctx.config`. */
  config?: S;
  /** MikroORM entities (decorated classes) of the plugin's own tables. */
  entities?: readonly PluginClass[];
  migrations?: readonly PluginMigration[];
  /**
   * type-graphql resolvers; every field they add needs a rule in `permissions`. The hub builds
   * each with the plugin's context as its constructor argument (since API 1.4.0), so a resolver
   * reaches its config, jobs and `asCaller(@Ctx())`.
   */
  resolvers?: readonly PluginClass[];
  permissions?: PluginPermissions;
  topics?: PluginTopics;
  jobs?: readonly JobDefinition[];
  routes?: readonly PluginRoute[];
  /**
   * CLI commands (since API 1.4.0): `caregraph <name> ...` for the plugins of the config file,
   * run against a hub in command mode (no HTTP server, no `start` hooks).
   */
  commands?: readonly PluginCommand[];
  /**
   * How the plugin's own rows about patients follow merges, erasures and exports (since API
   * 1.5.0): handlers core's services call inside their transactions.
   */
  patientData?: PluginPatientData;
  /** Runs at boot (in dependency order); a throw marks the plugin `failed`, never the hub. */
  start?(ctx: PluginContext<ConfigOf<S>>): Promise<void>;
  stop?(ctx: PluginContext<ConfigOf<S>>): Promise<void>;
  health?(ctx: PluginContext<ConfigOf<S>>): Promise<PluginHealth>;
}

/**
 * Declares a plugin. An identity function, like `defineConfig`: it types the definition (and
 * `ctx.config` from the config schema); the hub validates it once at boot.
 *
 * @example
 * export const wearables = definePlugin({
 *   id: 'wearables',
 *   version: '1.0.0',
 *   apiVersion: '^1.0.0',
 *   config: z.object({ webhookSecret: z.string().min(32) }),
 *   routes: [{ method: 'POST', path: '/readings', handler: receiveReadings }],
 * });
 */
export function definePlugin<S extends ConfigSchema | undefined = undefined>(
  definition: PluginDefinition<S>,
): PluginDefinition<S> {
  return definition;
}

/**
 * A plugin with the config it runs with, as passed to `createHub({ plugins })`. A bare definition
 * is registered with `undefined` config.
 */
export interface PluginRegistration {
  plugin: PluginDefinition;
  config?: unknown;
}

/** Pairs a plugin with its config for registration. */
export function withConfig<S extends ConfigSchema | undefined>(
  plugin: PluginDefinition<S>,
  config: S extends ConfigSchema<infer Input, unknown> ? Input : undefined,
): PluginRegistration {
  return { plugin: plugin as unknown as PluginDefinition, config };
}
