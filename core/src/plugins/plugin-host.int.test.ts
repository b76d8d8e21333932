/**
 * Issue 4: the plugin host in a running hub. A plugin whose start throws is `failed` and retried
 * with backoff while the hub and the other plugins keep serving; statuses are on `/health` and in
 * the admin-only `plugins` query; plugin routes, GraphQL fields and events go through the hub.
 */
import { Query, Resolver } from 'type-graphql';
import { CareEventType, Role, type CareEventMessage } from '@caregraph/schema';
import { definePlugin, type PluginDefinition } from '@caregraph/plugin-sdk';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { eventually } from '../testing/eventually.js';
import { careEventMessages } from '../events/event-bus.js';

@Resolver()
class PingResolver {
  @Query(() => String)
  fixturePing(): string {
    return 'pong';
  }
}

let flakyStarts = 0;
const followed: CareEventMessage[] = [];
let echoStops = 0;

const echo = definePlugin({
  id: 'echo',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  resolvers: [PingResolver],
  permissions: { Query: { fixturePing: { kind: 'roles', roles: [Role.ADMIN] } } },
  topics: {
    emits: [CareEventType.CARE_TEAM_CHANGED],
    consumes: [CareEventType.CARE_TEAM_CHANGED],
  },
  routes: [
    {
      method: 'POST',
      path: '/follow',
      handler: async (request, ctx) => {
        const { tenantId } = request.body as { tenantId: string };
        ctx.subscribe(
          tenantId,
          async (event) => {
            followed.push(event);
            if (followed.length === 1) throw new Error('handler bug on the first event');
          },
          ctx.signal,
        );
        return { status: 202 };
      },
    },
    {
      method: 'POST',
      path: '/echo',
      handler: async (request) => ({ status: 200, body: { got: request.body } }),
    },
    {
      method: 'GET',
      path: '/boom',
      handler: async () => {
        throw new Error('handler bug');
      },
    },
    {
      method: 'POST',
      path: '/publish',
      handler: async (request, ctx) => {
        const { tenantId, userId, patientId, type } = request.body as Record<string, string>;
        await ctx.inTenant({ tenantId: tenantId!, userId: userId! }, (scope) =>
          scope.publish({
            type: type as CareEventType,
            patientId: patientId!,
            summary: 'Care team changed',
            subject: { type: 'Patient', id: patientId! },
          }),
        );
        return { status: 202 };
      },
    },
  ],
  stop: async () => {
    echoStops += 1;
  },
});

const broken = definePlugin({
  id: 'broken',
  version: '0.1.0',
  apiVersion: '^1.0.0',
  start: async () => {
    throw new Error('cannot reach the vendor API');
  },
  routes: [{ method: 'GET', path: '/ping', handler: async () => ({ status: 200 }) }],
});

const flaky = definePlugin({
  id: 'flaky',
  version: '2.0.0',
  apiVersion: '^1.0.0',
  start: async () => {
    flakyStarts += 1;
    if (flakyStarts <= 2) throw new Error(`attempt ${flakyStarts} failed`);
  },
});

const dependent = definePlugin({
  id: 'dependent',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  dependsOn: ['broken'],
});

let healthChecks = 0;
let healthHangs = false;
const checked = definePlugin({
  id: 'checked',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  health: async () => {
    healthChecks += 1;
    if (healthHangs) await new Promise(() => undefined);
    return { status: 'ok' };
  },
});
const HEALTH_CACHE_MS = 2000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestHub;
const state = (id: string) => t.hub.plugins.host.statuses().find((s) => s.id === id);

beforeAll(async () => {
  t = await createTestHub({
    plugins: [broken, dependent, flaky, echo as PluginDefinition, checked],
    pluginRestartPolicy: { baseMs: 40, maxMs: 400, hookTimeoutMs: 5000, healthTimeoutMs: 300 },
    config: { pluginHealthCacheSeconds: HEALTH_CACHE_MS / 1000 },
  });
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const base = () => t.url.replace(/\/graphql$/, '');

describe('plugin isolation (issue 4)', () => {
  it('marks a plugin whose start throws failed, and the hub and other plugins keep serving', async () => {
    expect(state('broken')).toMatchObject({
      state: 'failed',
      message: 'cannot reach the vendor API',
    });
    expect(state('echo')?.state).toBe('running');
    const me = await t.graphql<{ me: { id: string } }>('{ me { id } }', {}, { role: Role.NURSE });
    expect(me.body.data?.me.id).toBeTruthy();
    const ping = await t.graphql('{ fixturePing }', {}, { role: Role.ADMIN });
    expect(ping.body).toEqual({ data: { fixturePing: 'pong' } });
  });

  it('restarts a failed plugin with exponential backoff until it starts', async () => {
    const running = await eventually(() =>
      state('flaky')?.state === 'running' ? state('flaky') : undefined,
    );
    expect(running.restarts).toBe(2);
    const failing = await eventually(() =>
      (state('broken')?.restarts ?? 0) >= 2 ? state('broken') : undefined,
    );
    expect(failing.state).toBe('failed');
    expect(failing.nextRestartAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
  });

  it('keeps a plugin whose dependency failed waiting', () => {
    expect(state('dependent')).toMatchObject({
      state: 'failed',
      message: 'waiting for plugin "broken"',
    });
  });

  it('reports every plugin on /health, degraded while one has failed', async () => {
    const health = (await (await fetch(`${base()}/health`)).json()) as {
      status: string;
      plugins: { id: string; state: string }[];
    };
    expect(health.status).toBe('degraded');
    // Metrics are off unless enabled (issue 4): no /metrics at all.
    expect((await fetch(`${base()}/metrics`)).status).toBe(404);
    expect(Object.fromEntries(health.plugins.map((p) => [p.id, p.state]))).toMatchObject({
      broken: 'failed',
      dependent: 'failed',
      echo: 'running',
    });
  });
});

describe('plugin health on /health (issue 4)', () => {
  it('runs a plugin health check at most once per cache period, however often /health is asked', async () => {
    await pause(HEALTH_CACHE_MS + 100);
    const before = healthChecks;
    await Promise.all(Array.from({ length: 10 }, () => fetch(`${base()}/health`)));
    for (let i = 0; i < 5; i++) await fetch(`${base()}/health`);
    expect(healthChecks - before).toBe(1);
    await pause(HEALTH_CACHE_MS + 100);
    await fetch(`${base()}/health`);
    expect(healthChecks - before).toBe(2);
  });

  it('marks a plugin whose health check hangs degraded after the timeout, and /health answers', async () => {
    healthHangs = true;
    try {
      await pause(HEALTH_CACHE_MS + 100);
      const started = Date.now();
      const health = (await (await fetch(`${base()}/health`)).json()) as {
        plugins: { id: string; state: string; message?: string }[];
      };
      expect(Date.now() - started).toBeLessThan(2000);
      expect(health.plugins.find((p) => p.id === 'checked')).toMatchObject({
        state: 'degraded',
        message: 'health check failed: health did not finish within 300 ms',
      });
    } finally {
      healthHangs = false;
    }
    await pause(HEALTH_CACHE_MS + 100);
    await fetch(`${base()}/health`);
    expect(state('checked')?.state).toBe('running');
  });
});

describe('the plugins query (issue 4)', () => {
  const query = '{ plugins { id version state message restarts } }';

  it('lists the plugins and their states for an admin', async () => {
    const res = await t.graphql<{ plugins: { id: string; state: string; version: string }[] }>(
      query,
      {},
      { role: Role.ADMIN },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.plugins.map((p) => p.id)).toEqual([
      'broken',
      'dependent',
      'flaky',
      'echo',
      'checked',
    ]);
    expect(res.body.data?.plugins.find((p) => p.id === 'broken')).toMatchObject({
      state: 'FAILED',
      version: '0.1.0',
    });
  });

  it.each([Role.NURSE, Role.PHYSICIAN, Role.INTEGRATION])('refuses %s', async (role) => {
    const res = await t.graphql(query, {}, { role });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.body.data).toBeNull();
  });

  it('refuses a plugin field to a role its rule does not name', async () => {
    const res = await t.graphql('{ fixturePing }', {}, { role: Role.NURSE });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('plugin routes (issue 4)', () => {
  it('serves a route under /plugins/<id>', async () => {
    const res = await fetch(`${base()}/plugins/echo/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reading: 42 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { reading: 42 } });
  });

  it('answers 500 for a throwing handler without leaking it, and keeps serving', async () => {
    const res = await fetch(`${base()}/plugins/echo/boom`);
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain('handler bug');
    expect((await fetch(`${base()}/plugins/echo/echo`, { method: 'POST' })).status).toBe(200);
  });

  it('answers 503 for a route of a failed plugin', async () => {
    expect((await fetch(`${base()}/plugins/broken/ping`)).status).toBe(503);
  });

  it('publishes a declared event from a plugin write in the tenant scope', async () => {
    const [patient] = await t.sql<{ id: string }>('select id from patient limit 1');
    const received: CareEventMessage[] = [];
    const stop = new AbortController();
    const following = (async () => {
      for await (const event of careEventMessages(
        t.hub.events.subscribe(t.seed.tenantId, stop.signal),
      )) {
        received.push(event);
        stop.abort();
      }
    })();
    const res = await fetch(`${base()}/plugins/echo/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantId: t.seed.tenantId,
        userId: t.userIdOf(Role.INTEGRATION),
        patientId: patient!.id,
        type: CareEventType.CARE_TEAM_CHANGED,
      }),
    });
    expect(res.status).toBe(202);
    await following;
    expect(received[0]).toMatchObject({
      type: CareEventType.CARE_TEAM_CHANGED,
      tenantId: t.seed.tenantId,
      patientId: patient!.id,
    });
  });

  it('delivers followed events to a plugin handler, and the event its handler threw on again', async () => {
    const [patient] = await t.sql<{ id: string }>('select id from patient limit 1');
    const post = (path: string, body: object) =>
      fetch(`${base()}/plugins/echo${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/follow', { tenantId: t.seed.tenantId })).status).toBe(202);
    // The new cursor starts at the tenant's head: wait until it exists.
    await eventually(async () => {
      const rows = await t.sql('select 1 from plugin_event_cursor where plugin_id = ?', ['echo']);
      return rows.length ? true : undefined;
    });
    const event = {
      tenantId: t.seed.tenantId,
      userId: t.userIdOf(Role.INTEGRATION),
      patientId: patient!.id,
      type: CareEventType.CARE_TEAM_CHANGED,
    };
    expect((await post('/publish', event)).status).toBe(202);
    expect((await post('/publish', event)).status).toBe(202);
    await eventually(() => (followed.length === 3 ? true : undefined));
    expect(followed.map((e) => e.type)).toEqual([
      CareEventType.CARE_TEAM_CHANGED,
      CareEventType.CARE_TEAM_CHANGED,
      CareEventType.CARE_TEAM_CHANGED,
    ]);
    expect(followed[1]!.id).toBe(followed[0]!.id);
    expect(followed[2]!.position).toBe(followed[0]!.position! + 1);
    await eventually(() => (state('echo')?.state === 'running' ? true : undefined));
  });

  it('refuses to publish an event type the plugin did not declare (500, counted)', async () => {
    const res = await fetch(`${base()}/plugins/echo/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantId: t.seed.tenantId,
        userId: t.userIdOf(Role.INTEGRATION),
        patientId: t.seed.tenantId,
        type: CareEventType.PATIENT_REGISTERED,
      }),
    });
    expect(res.status).toBe(500);
    const errors = t.hub.plugins.metrics
      .samples()
      .filter((s) => s.plugin === 'echo' && s.name === 'handler_errors_total');
    expect(errors.reduce((sum, s) => sum + s.count, 0)).toBeGreaterThanOrEqual(3);
  });
});

describe('plugin stop (issue 4)', () => {
  it('stops running plugins once and marks every plugin stopped', async () => {
    await t.hub.plugins.stop();
    expect(echoStops).toBe(1);
    expect(new Set(t.hub.plugins.host.statuses().map((s) => s.state))).toEqual(
      new Set(['stopped']),
    );
  });
});
