import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { ContainerType } from 'type-graphql';
import type { MikroORM } from '@mikro-orm/sql';
import type { PluginContext, PluginStatusReport } from '@caregraph/plugin-sdk';
import type { ContextFactory } from '../context/context-factory.js';
import type { DatabaseTarget } from '../db/create-orm.js';
import type { EventBus } from '../events/event-bus.js';
import type { SchemaExtension } from '../graphql/build-schema.js';
import { PluginsResolver } from '../graphql/resolvers/plugins-resolver.js';
import { JobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../logging/logger.js';
import type { RequestRateLimiter } from '../server/rate-limit.js';
import type { PreparedPlugins } from './index.js';
import { PluginEventCursors } from './plugin-event-cursor.js';
import {
  DEFAULT_RESTART_POLICY,
  PluginHost,
  retryDelay,
  type RestartPolicy,
} from './plugin-host.js';
import { pluginJobScheduler, createPluginQueues, workPluginJobs } from './plugin-jobs.js';
import { PluginMetricsRegistry } from './plugin-metrics.js';
import { pluginRouter } from './plugin-routes.js';

/** What the hub needs to run its plugins. */
export interface HubPluginDeps {
  orm: MikroORM;
  target: DatabaseTarget;
  contexts: ContextFactory;
  events: EventBus;
  logger: Logger;
  /** How often idle plugin event subscriptions look at the outbox (the relay's poll). */
  eventPollMs: number;
  /** The hub's Prometheus registry: plugin metrics are exported there too. */
  registry?: Registry;
  /** How long a plugin's health-check result is reused by `/health`, in ms. */
  healthCacheMs?: number;
}

/** How long an instance keeps a plugin event cursor without renewing its lease. */
const CURSOR_LEASE_MS = 30_000;
/** Longest wait before a failed plugin event handler is retried. */
const MAX_HANDLER_RETRY_MS = 60_000;

/** The plugin side of a hub: host, schema extension, routes, jobs. */
export interface HubPlugins {
  host: PluginHost;
  metrics: PluginMetricsRegistry;
  /** What the plugins add to the schema, and the container that gives `plugins` the host. */
  schema: SchemaExtension;
  router(rateLimiter?: RequestRateLimiter): Router;
  /** The `Type.field`s a plugin added to the schema (each has a permission rule). */
  contributedFields(pluginId: string): string[];
  /** Health of every plugin (runs their checks, at most once per cache period each). */
  health(): Promise<PluginStatusReport[]>;
  /** Opens the job queue (when a plugin has jobs), starts the plugins, works their jobs. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the resolver instances of the schema: core's `PluginsResolver` with the host, and each
 * plugin resolver with its plugin's current context (a plugin restart gives it a new one, so the
 * instance is rebuilt for it).
 */
function resolverContainer(prepared: PreparedPlugins, host: PluginHost): ContainerType {
  const owners = new Map<unknown, string>();
  for (const plugin of prepared.plugins)
    for (const resolver of plugin.definition.resolvers ?? [])
      owners.set(resolver, plugin.definition.id);
  const core = new Map<unknown, unknown>([[PluginsResolver, new PluginsResolver(host)]]);
  const built = new Map<unknown, { ctx: PluginContext | undefined; instance: unknown }>();
  type Constructor = new (ctx?: PluginContext) => unknown;
  return {
    get(someClass: Constructor) {
      const owner = owners.get(someClass);
      if (owner === undefined) {
        let instance = core.get(someClass);
        if (!instance) core.set(someClass, (instance = new someClass()));
        return instance;
      }
      const ctx = host.context(owner);
      let entry = built.get(someClass);
      if (!entry || entry.ctx !== ctx)
        built.set(someClass, (entry = { ctx, instance: new someClass(ctx) }));
      return entry.instance;
    },
  };
}

/** Wires validated plugins into a hub (see create-hub.ts). */
export function createHubPlugins(
  prepared: PreparedPlugins,
  deps: HubPluginDeps,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): HubPlugins {
  let queue: JobQueue | undefined;
  const metrics = new PluginMetricsRegistry(deps.registry);
  const subscriptions = {
    cursors: new PluginEventCursors(deps.orm, CURSOR_LEASE_MS),
    settings: {
      pollMs: deps.eventPollMs,
      leaseMs: CURSOR_LEASE_MS,
      batchSize: 100,
      backoff: (attempt: number) => Math.min(MAX_HANDLER_RETRY_MS, retryDelay(policy, attempt)),
    },
  };
  const host = new PluginHost(
    prepared.plugins,
    {
      ...deps,
      metrics,
      subscriptions,
      jobs: (plugin) => pluginJobScheduler(plugin, () => queue),
    },
    policy,
    deps.healthCacheMs,
  );
  const container = resolverContainer(prepared, host);
  return {
    host,
    metrics,
    schema: {
      resolvers: prepared.schema.resolvers,
      permissions: prepared.schema.permissions,
      container,
    },
    router: (rateLimiter) => pluginRouter(host, rateLimiter),
    contributedFields: (pluginId) =>
      [...prepared.schema.contributed].filter(([, id]) => id === pluginId).map(([field]) => field),
    health: () => host.checkHealth(),
    async start() {
      if (prepared.hasJobs) {
        queue = await JobQueue.open(deps.orm, deps.target, deps.logger);
        await createPluginQueues(host, queue);
      }
      await host.start();
      if (queue) await workPluginJobs(host, queue);
    },
    async stop() {
      await host.stop();
      await queue?.stop();
      queue = undefined;
    },
  };
}
