import type { CareEventMessage } from '@caregraph/schema';
import type { PluginStatusReport } from '@caregraph/plugin-sdk';
import type { PluginTestHub, PluginTestKit, TestHealth } from '@caregraph/plugin-sdk/testing';
import { CareGraphError } from '../errors/caregraph-error.js';
import { careEventMessages } from '../events/event-bus.js';
import { preparePlugins } from '../plugins/index.js';
import { DEFAULT_RESTART_POLICY } from '../plugins/plugin-host.js';
import { createCliEnvironment } from './cli-environment.js';
import { createTestHub } from './create-test-hub.js';

function until<T>(timeoutMs: number, what: string, poll: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const found = poll();
      if (found !== undefined) return resolve(found);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/**
 * Core's side of `@caregraph/plugin-sdk/testing`: a test hub with plugins, seeded, on a free
 * port, recording the seeded tenant's events from boot on.
 */
export const pluginTestKit: PluginTestKit = {
  async createTestHub(options) {
    const restart = options.restart ?? { baseMs: 50, maxMs: 1000 };
    const t = await createTestHub({
      config: options.config,
      plugins: options.plugins,
      pluginRestartPolicy: { ...DEFAULT_RESTART_POLICY, ...restart, hookTimeoutMs: 10_000 },
      seedIds: options.seed,
    });
    const events: CareEventMessage[] = [];
    const recording = new AbortController();
    void (async () => {
      for await (const event of careEventMessages(
        t.hub.events.subscribe(t.seed.tenantId, recording.signal),
      ))
        events.push(event);
    })();
    const baseUrl = t.url.replace(/\/graphql$/, '');
    const statuses = () => t.hub.plugins.host.statuses();
    const hub: PluginTestHub = {
      url: t.url,
      baseUrl,
      tenantId: t.seed.tenantId,
      userIdOf: (role) => t.userIdOf(role),
      async graphql(query, variables, as = { anonymous: true }, headers = {}) {
        const res = await t.graphql(query, variables, as, headers);
        return { status: res.status, data: res.body.data as never, errors: res.body.errors };
      },
      async fetch(path, init, as) {
        if (!as || 'anonymous' in as) return fetch(`${baseUrl}${path}`, init);
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${await t.token(as)}`);
        return fetch(`${baseUrl}${path}`, { ...init, headers });
      },
      token: (as) => t.token(as),
      async health() {
        return (await (await fetch(`${baseUrl}/health`)).json()) as TestHealth;
      },
      contributedFields: (id) => t.hub.plugins.contributedFields(id),
      statuses,
      waitForState: (id, state, timeoutMs = 10_000) =>
        until<PluginStatusReport>(timeoutMs, `plugin ${id} to be ${state}`, () =>
          statuses().find((s) => s.id === id && s.state === state),
        ),
      waitForEvent: (predicate, timeoutMs = 10_000) =>
        until(timeoutMs, 'an event', () => events.find(predicate)),
      async stop() {
        recording.abort();
        await t.stop();
      },
    };
    return hub;
  },

  async validatePlugins(plugins) {
    try {
      await preparePlugins(plugins);
      return null;
    } catch (error) {
      if (!(error instanceof CareGraphError)) throw error;
      return { code: error.code, path: String(error.details.path ?? ''), message: error.message };
    }
  },

  createCliEnvironment,
};
