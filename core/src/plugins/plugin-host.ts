import type { PluginContext, PluginState, PluginStatusReport } from '@caregraph/plugin-sdk';
import { createPluginContext, type PluginContextDeps } from './plugin-context.js';
import type { ValidatedPlugin } from './validate-plugins.js';

/** Restart backoff of failed plugins: `baseMs * 2^restarts`, at most `maxMs`. */
export interface RestartPolicy {
  baseMs: number;
  maxMs: number;
  /** How long `start`, `stop` and `health` may take before they count as failed. */
  hookTimeoutMs: number;
  /** How long a health check may take (at most `hookTimeoutMs`; default 5 s). */
  healthTimeoutMs?: number;
}

/** A health check that takes longer marks the plugin degraded (unless the policy says less). */
const HEALTH_TIMEOUT_MS = 5000;

/** The callbacks the host gives each plugin context. */
type HostCallbacks =
  'onHandlerError' | 'onSubscriptionFailure' | 'onIssue' | 'onEventsLost' | 'onSubscriptionRunning';

/** The `attempt`th retry's delay (1-based): `baseMs * 2^(attempt-1)`, at most `maxMs`. */
export function retryDelay(policy: Pick<RestartPolicy, 'baseMs' | 'maxMs'>, attempt: number) {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

/** One second doubling up to five minutes; hooks get 30 s. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseMs: 1000,
  maxMs: 300_000,
  hookTimeoutMs: 30_000,
};

interface Slot {
  plugin: ValidatedPlugin;
  state: PluginState;
  message?: string;
  since: Date;
  restarts: number;
  nextRestartAt?: Date;
  timer?: NodeJS.Timeout;
  abort: AbortController;
  ctx: PluginContext;
  /** What keeps a serving plugin degraded (failing subscriptions, lost events), by key. */
  issues: Map<string, string>;
  /** Event subscriptions still running (they end when the plugin's signal aborts). */
  subscriptions: Set<Promise<void>>;
  /** When the health check last finished, and the one running now (callers share it). */
  healthAt?: number;
  healthRun?: Promise<void>;
}

/** A promise that rejects after `ms` (the timer never keeps the process alive). */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the registered plugins: starts them in dependency order, keeps each one's state, and
 * isolates them: an exception in a plugin's start, health check or handler marks that plugin
 * (failed, degraded) and is logged, but never reaches the hub or another plugin. Failed plugins
 * are restarted with exponential backoff; a plugin whose dependency is not running waits.
 */
export class PluginHost {
  private readonly slots = new Map<string, Slot>();
  private stopping = false;

  constructor(
    plugins: readonly ValidatedPlugin[],
    private readonly deps: Omit<PluginContextDeps, HostCallbacks>,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    /** How long a health check's result is reused (so `/health` cannot hammer plugins). */
    private readonly healthCacheMs = 10_000,
  ) {
    for (const plugin of plugins) {
      const abort = new AbortController();
      this.slots.set(plugin.definition.id, {
        plugin,
        state: 'stopped',
        since: new Date(),
        restarts: 0,
        abort,
        ctx: this.contextFor(plugin, abort.signal),
        issues: new Map(),
        subscriptions: new Set(),
      });
    }
  }

  /** The registered plugins, in start order. */
  get plugins(): ValidatedPlugin[] {
    return [...this.slots.values()].map((slot) => slot.plugin);
  }

  /** The context of a plugin (routes and jobs run with it). */
  context(id: string): PluginContext | undefined {
    return this.slots.get(id)?.ctx;
  }

  /** Whether a plugin serves (running or degraded). */
  serving(id: string): boolean {
    const state = this.slots.get(id)?.state;
    return state === 'running' || state === 'degraded';
  }

  statuses(): PluginStatusReport[] {
    return [...this.slots.values()].map((slot) => ({
      id: slot.plugin.definition.id,
      version: slot.plugin.definition.version,
      state: slot.state,
      message: slot.message,
      restarts: slot.restarts,
      nextRestartAt: slot.nextRestartAt,
      since: slot.since,
    }));
  }

  /** Starts every plugin in dependency order; never throws for a plugin's failure. */
  async start(): Promise<void> {
    for (const slot of this.slots.values()) await this.startSlot(slot);
  }

  /** Logs and counts an exception of a plugin's route, job or event handler. */
  handlerError(pluginId: string, where: string, error: unknown): void {
    this.deps.metrics.forPlugin(pluginId).increment('handler_errors_total', 1, { where });
    this.deps.logger.error(
      { plugin: pluginId, where, err: { message: messageOf(error) } },
      'plugin handler failed',
    );
  }

  /**
   * Marks a serving plugin degraded while an issue lasts (`message`), or clears it (undefined):
   * the plugin is running again once it has no issue left.
   */
  issue(pluginId: string, key: string, message: string | undefined): void {
    const slot = this.slots.get(pluginId);
    if (!slot) return;
    if (message === undefined) {
      if (!slot.issues.delete(key)) return;
    } else slot.issues.set(key, message);
    if (!this.serving(pluginId)) return;
    const [first] = slot.issues.values();
    if (first !== undefined) this.set(slot, 'degraded', first);
    else if (slot.state === 'degraded') this.set(slot, 'running');
  }

  /**
   * Runs the health checks of serving plugins: `degraded` or a throw marks them degraded. A
   * plugin's check runs at most once per `healthCacheMs` (concurrent callers share the running
   * one) and may take `healthTimeoutMs`.
   */
  async checkHealth(): Promise<PluginStatusReport[]> {
    await Promise.all([...this.slots.values()].map((slot) => this.checkSlot(slot)));
    return this.statuses();
  }

  private checkSlot(slot: Slot): Promise<void> | undefined {
    const check = slot.plugin.definition.health;
    if (!check || !this.serving(slot.plugin.definition.id)) return;
    if (slot.healthRun) return slot.healthRun;
    if (slot.healthAt !== undefined && Date.now() - slot.healthAt < this.healthCacheMs) return;
    const timeoutMs = Math.min(
      this.policy.hookTimeoutMs,
      this.policy.healthTimeoutMs ?? HEALTH_TIMEOUT_MS,
    );
    slot.healthRun = (async () => {
      try {
        const health = await within(timeoutMs, 'health', check(slot.ctx));
        if (!this.serving(slot.plugin.definition.id)) return;
        const [issue] = slot.issues.values();
        if (health.status !== 'ok') this.set(slot, 'degraded', health.message);
        else if (issue !== undefined) this.set(slot, 'degraded', issue);
        else this.set(slot, 'running', health.message);
      } catch (error) {
        if (this.serving(slot.plugin.definition.id))
          this.set(slot, 'degraded', `health check failed: ${messageOf(error)}`);
      }
    })().finally(() => {
      slot.healthAt = Date.now();
      slot.healthRun = undefined;
    });
    return slot.healthRun;
  }

  /** Stops every plugin in reverse start order; cancels pending restarts. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const slot of [...this.slots.values()].reverse()) {
      clearTimeout(slot.timer);
      slot.nextRestartAt = undefined;
      await this.stopSlot(slot);
    }
  }

  private contextFor(plugin: ValidatedPlugin, signal: AbortSignal): PluginContext {
    return createPluginContext(
      plugin,
      {
        ...this.deps,
        onHandlerError: (id, where, error) => this.handlerError(id, where, error),
        onSubscriptionFailure: (id, name, error) =>
          // No driver message: it can quote values.
          this.deps.logger.warn(
            { plugin: id, subscription: name, err: { name: (error as Error)?.name } },
            'plugin event subscription: database work failed, retrying',
          ),
        onIssue: (id, key, message) => this.issue(id, key, message),
        onSubscriptionRunning: (id, done) => {
          const running = this.slots.get(id)?.subscriptions;
          running?.add(done);
          void done.finally(() => running?.delete(done));
        },
        onEventsLost: (id, key, error) => {
          this.deps.metrics
            .forPlugin(id)
            .increment(
              'events_lost_total',
              Number(error.details.to) - Number(error.details.from) + 1,
            );
          this.deps.logger.error({ plugin: id, code: error.code, ...error.details }, error.message);
          this.issue(id, key, error.message);
        },
      },
      signal,
    );
  }

  private set(slot: Slot, state: PluginState, message?: string): void {
    if (slot.state !== state) slot.since = new Date();
    slot.state = state;
    slot.message = message;
    this.deps.logger.info({ plugin: slot.plugin.definition.id, state, message }, 'plugin state');
  }

  private async startSlot(slot: Slot): Promise<void> {
    if (this.stopping) return;
    const definition = slot.plugin.definition;
    const waiting = (definition.dependsOn ?? []).find((id) => !this.serving(id));
    if (waiting) {
      this.set(slot, 'failed', `waiting for plugin "${waiting}"`);
      return this.scheduleRestart(slot);
    }
    this.set(slot, 'starting');
    slot.issues.clear();
    try {
      await within(
        this.policy.hookTimeoutMs,
        'start',
        definition.start?.(slot.ctx) ?? Promise.resolve(),
      );
      const [issue] = slot.issues.values();
      this.set(slot, issue === undefined ? 'running' : 'degraded', issue);
    } catch (error) {
      this.deps.logger.error(
        { plugin: definition.id, err: { message: messageOf(error) } },
        'plugin failed to start',
      );
      this.set(slot, 'failed', messageOf(error));
      // What it set up before throwing (subscriptions, timers) ends with its signal.
      slot.abort.abort();
      this.scheduleRestart(slot);
    }
  }

  private scheduleRestart(slot: Slot): void {
    if (this.stopping) return;
    const delay = retryDelay(this.policy, slot.restarts + 1);
    slot.nextRestartAt = new Date(Date.now() + delay);
    slot.timer = setTimeout(() => {
      slot.restarts += 1;
      slot.nextRestartAt = undefined;
      slot.abort = new AbortController();
      slot.ctx = this.contextFor(slot.plugin, slot.abort.signal);
      void this.startSlot(slot);
    }, delay);
    slot.timer.unref();
  }

  private async stopSlot(slot: Slot): Promise<void> {
    const wasServing = this.serving(slot.plugin.definition.id) || slot.state === 'starting';
    slot.abort.abort();
    if (wasServing && slot.plugin.definition.stop) {
      try {
        await within(this.policy.hookTimeoutMs, 'stop', slot.plugin.definition.stop(slot.ctx));
      } catch (error) {
        this.handlerError(slot.plugin.definition.id, 'stop', error);
      }
    }
    // Their handlers finish and their cursor leases are given up before the database closes.
    await within(
      this.policy.hookTimeoutMs,
      'stop',
      Promise.all([...slot.subscriptions]).then(() => undefined),
    ).catch((error: unknown) => this.handlerError(slot.plugin.definition.id, 'stop', error));
    this.set(slot, 'stopped');
  }
}
