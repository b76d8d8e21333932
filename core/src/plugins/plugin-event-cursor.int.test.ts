/**
 * Issue 4 (operational gaps): plugin event handlers are driven from the outbox by a durable
 * per-plugin cursor. A throwing handler gets the event again; a hub restarted on the same
 * database delivers what was committed while it was down, once; an acknowledged event never
 * comes back; one instance drives a cursor at a time; a cursor behind the retention is reported.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CareEventType, Role, type CareEventMessage } from '@caregraph/schema';
import { definePlugin, PluginErrorCode, type PluginContext } from '@caregraph/plugin-sdk';
import { listActiveUsers, pickUser } from '../auth/dev-user-directory.js';
import { validateConfig } from '../config/load-config.js';
import { writeMasterKeyFile } from '../crypto/master-key-file.js';
import type { DatabaseTarget } from '../db/create-orm.js';
import { createLogger } from '../logging/logger.js';
import { createHub, type Hub } from '../server/create-hub.js';
import { withTenantScope } from '../db/tenant-scope.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { eventually } from '../testing/eventually.js';
import { InProcessEventBus } from '../events/event-bus.js';
import type { PluginError } from './plugin-error.js';
import { PluginEventCursors } from './plugin-event-cursor.js';
import { runPluginSubscription } from './plugin-event-subscription.js';

const follower = definePlugin({
  id: 'follower',
  version: '1.0.0',
  apiVersion: '^1.2.0',
  topics: {
    emits: [CareEventType.CARE_TEAM_CHANGED, CareEventType.CARE_PLAN_UPDATED],
    consumes: [CareEventType.CARE_TEAM_CHANGED],
  },
});
const POLICY = { baseMs: 40, maxMs: 400, hookTimeoutMs: 5000 };

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

/** What a hub needs to publish as a plugin and follow as one. */
function pluginOf(hub: Hub, tenantId: string, userId: string) {
  const ctx = hub.plugins.host.context('follower') as PluginContext;
  /** Publishes one event as the plugin; its id, once the relay has numbered it. */
  const publish = async (type = CareEventType.CARE_TEAM_CHANGED): Promise<string> => {
    const id = await write(type);
    await eventually(async () => {
      const rows = await withTenantScope(tenantId, () =>
        hub.orm.em
          .getConnection()
          .execute<{ position: string | null }[]>(
            'select position from outbox_event where id = ?',
            [id],
          ),
      );
      return rows[0]?.position != null ? true : undefined;
    });
    return id;
  };
  const write = (type: CareEventType): Promise<string> =>
    ctx.inTenant({ tenantId, userId }, async (scope) => {
      const [patient] = await scope.em
        .getConnection()
        .execute<{ id: string }[]>('select id from patient limit 1');
      await scope.publish({
        type,
        patientId: patient!.id,
        summary: 'Care team changed',
        subject: { type: 'Patient', id: patient!.id },
      });
      const [row] = await scope.em
        .getConnection()
        .execute<{ id: string }[]>(
          'select id from outbox_event where tenant_id = ? order by sequence desc limit 1',
          [tenantId],
        );
      return row!.id;
    });
  const follow = (
    handler: (event: CareEventMessage) => Promise<void>,
    name?: string,
  ): AbortController => {
    const stop = new AbortController();
    ctx.subscribe(tenantId, handler, stop.signal, name ? { name } : undefined);
    return stop;
  };
  return { ctx, publish, follow };
}

describe('durable plugin event subscriptions (issue 4)', () => {
  let t: TestHub;
  let plugin: ReturnType<typeof pluginOf>;
  const state = () => t.hub.plugins.host.statuses().find((s) => s.id === 'follower')!;
  const cursor = async (name = 'default') =>
    Number(
      (
        await t.sql<{ position: string }>(
          'select position from plugin_event_cursor where plugin_id = ? and name = ?',
          ['follower', name],
        )
      )[0]?.position ?? NaN,
    );

  beforeAll(async () => {
    t = await createTestHub({
      plugins: [follower],
      pluginRestartPolicy: POLICY,
      config: { eventRelayPollMs: 100 },
    });
    plugin = pluginOf(t.hub, t.seed.tenantId, t.userIdOf(Role.INTEGRATION));
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('gives a handler that threw the same event again, degraded meanwhile, and moves the cursor after it resolves', async () => {
    const seen: number[] = [];
    const stop = plugin.follow(async (event) => {
      seen.push(event.position!);
      if (seen.length === 1) throw new Error('handler bug on the first try');
    }, 'throws-once');
    await eventually(async () => ((await cursor('throws-once')) >= 0 ? true : undefined));
    await plugin.publish();
    await plugin.publish();
    await eventually(() => (seen.length >= 3 ? true : undefined));
    await settle();
    const [first, again, second] = seen;
    expect(again).toBe(first);
    expect(second).toBe(first! + 1);
    expect(seen).toHaveLength(3);
    expect(await cursor('throws-once')).toBe(second);
    expect(state().state).toBe('running');
    const errors = t.hub.plugins.metrics
      .samples()
      .filter((s) => s.plugin === 'follower' && s.name === 'handler_errors_total');
    expect(errors.reduce((sum, s) => sum + s.count, 0)).toBe(1);
    stop.abort();
  });

  it('keeps the plugin degraded while its handler keeps failing, and never stops the hub', async () => {
    let failing = true;
    const seen: number[] = [];
    const stop = plugin.follow(async (event) => {
      seen.push(event.position!);
      if (failing) throw new Error('vendor down');
    }, 'keeps-failing');
    await eventually(async () => ((await cursor('keeps-failing')) >= 0 ? true : undefined));
    await plugin.publish();
    await eventually(() => (state().state === 'degraded' && seen.length >= 2 ? true : undefined));
    expect(state().message).toMatch(/event subscription "keeps-failing" failed \(attempt \d+\)/);
    const me = await t.graphql<{ me: { id: string } }>('{ me { id } }', {}, { role: Role.NURSE });
    expect(me.body.data?.me.id).toBeTruthy();
    expect(new Set(seen).size).toBe(1);
    failing = false;
    await eventually(() => (state().state === 'running' ? true : undefined));
    expect(await cursor('keeps-failing')).toBe(seen[0]);
    stop.abort();
  });

  it('skips events the plugin does not consume, and resumes after the cursor without repeating acknowledged events', async () => {
    const seen: number[] = [];
    let stop = plugin.follow(async (event) => void seen.push(event.position!), 'resumes');
    await eventually(async () => ((await cursor('resumes')) >= 0 ? true : undefined));
    await plugin.publish();
    await plugin.publish(CareEventType.CARE_PLAN_UPDATED);
    await eventually(() => (seen.length === 1 ? true : undefined));
    const acknowledged = seen[0]!;
    await eventually(async () =>
      (await cursor('resumes')) === acknowledged + 1 ? true : undefined,
    );
    stop.abort();
    await settle();
    // Committed while nothing follows:
    await plugin.publish();
    await plugin.publish();
    stop = plugin.follow(async (event) => void seen.push(event.position!), 'resumes');
    await eventually(() => (seen.length === 3 ? true : undefined));
    await settle();
    expect(seen).toEqual([acknowledged, acknowledged + 2, acknowledged + 3]);
    stop.abort();
  });

  it('refuses a second live subscription of one tenant under one name', () => {
    const stop = plugin.follow(async () => undefined, 'twice');
    expect(() => plugin.follow(async () => undefined, 'twice')).toThrow(
      expect.objectContaining({ code: PluginErrorCode.DUPLICATE_SUBSCRIPTION }),
    );
    stop.abort();
  });

  it('lets one instance drive a cursor at a time (a lease), and another take over once it is released', async () => {
    const cursors = new PluginEventCursors(t.hub.orm, 30_000);
    const key = { tenantId: t.seed.tenantId, pluginId: 'follower', name: 'leased' };
    const position = await cursors.claim(key, 'instance-a');
    expect(position).toEqual(expect.any(Number));
    expect(await cursors.claim(key, 'instance-b')).toBeUndefined();
    expect(await cursors.advance(key, 'instance-b', position! + 5)).toBe(false);
    expect(await cursors.claim(key, 'instance-a')).toBe(position);
    await cursors.release(key, 'instance-a');
    expect(await cursors.claim(key, 'instance-b')).toBe(position);
    expect(await cursors.advance(key, 'instance-a', position! + 5)).toBe(false);
  });

  it('reports a cursor further behind than the outbox retention (coded, degraded, logged) instead of skipping silently', async () => {
    const seen: number[] = [];
    let stop = plugin.follow(async (event) => void seen.push(event.position!), 'behind');
    await eventually(async () => ((await cursor('behind')) >= 0 ? true : undefined));
    const at = await cursor('behind');
    stop.abort();
    await settle();
    await plugin.publish();
    await plugin.publish();
    await plugin.publish();
    // What the relay's retention prune does to published rows older than the window:
    await eventually(async () =>
      (
        await t.sql<{ n: string | number }>(
          'select count(*) as n from outbox_event where position > ? and published_at is null',
          [at],
        )
      ).map((row) => Number(row.n))[0] === 0
        ? true
        : undefined,
    );
    await t.sql('delete from outbox_event where position > ? and position <= ?', [at, at + 2]);
    stop = plugin.follow(async (event) => void seen.push(event.position!), 'behind');
    await eventually(() => (seen.length === 1 ? true : undefined));
    expect(seen).toEqual([at + 3]);
    expect(state().state).toBe('degraded');
    expect(state().message).toContain('further behind than the outbox retention');
    expect(state().message).toContain(`positions ${at + 1}-${at + 2}`);
    const lost = t.hub.plugins.metrics
      .samples()
      .find((s) => s.plugin === 'follower' && s.name === 'events_lost_total');
    expect(lost?.value).toBe(2);
    stop.abort();
  });

  it('hands each event to one of two instances driving the same cursor, once', async () => {
    const seen: { instance: string; position: number }[] = [];
    const stop = new AbortController();
    const key = { tenantId: t.seed.tenantId, pluginId: 'follower', name: 'two-instances' };
    const drive = (instance: string) =>
      runPluginSubscription({
        orm: t.hub.orm,
        events: t.hub.events,
        cursors: new PluginEventCursors(t.hub.orm, 30_000),
        settings: { pollMs: 50, leaseMs: 30_000, batchSize: 100, backoff: () => 50 },
        key,
        consumes: new Set([CareEventType.CARE_TEAM_CHANGED]),
        handler: async (event) => void seen.push({ instance, position: event.position! }),
        signal: stop.signal,
        report: {
          handlerError: () => undefined,
          failed: () => undefined,
          issue: () => undefined,
          lost: () => undefined,
        },
      });
    const running = [drive('a'), drive('b')];
    await eventually(async () => ((await cursor('two-instances')) >= 0 ? true : undefined));
    for (let i = 0; i < 5; i++) await plugin.publish();
    await eventually(() => (seen.length >= 5 ? true : undefined));
    await settle();
    const positions = seen.map((s) => s.position);
    expect(new Set(positions).size).toBe(5);
    expect(positions).toHaveLength(5);
    expect(new Set(seen.map((s) => s.instance)).size).toBe(1);
    stop.abort();
    await Promise.all(running);
  });

  it('reports events deleted under a running subscription (read from the outbox) and goes on after them', async () => {
    const seen: number[] = [];
    const lost: PluginError[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const stop = new AbortController();
    // A bus nothing is published to: every event comes from the outbox.
    const quietBus = new InProcessEventBus();
    const done = runPluginSubscription({
      orm: t.hub.orm,
      events: quietBus,
      cursors: new PluginEventCursors(t.hub.orm, 30_000),
      settings: { pollMs: 50, leaseMs: 30_000, batchSize: 100, backoff: () => 50 },
      key: { tenantId: t.seed.tenantId, pluginId: 'follower', name: 'deleted-while-running' },
      consumes: new Set([CareEventType.CARE_TEAM_CHANGED]),
      handler: async (event) => {
        seen.push(event.position!);
        if (seen.length === 1) await held;
      },
      signal: stop.signal,
      report: {
        handlerError: () => undefined,
        failed: () => undefined,
        issue: () => undefined,
        lost: (error) => void lost.push(error),
      },
    });
    await eventually(async () => ((await cursor('deleted-while-running')) >= 0 ? true : undefined));
    await plugin.publish();
    await eventually(() => (seen.length === 1 ? true : undefined));
    const first = seen[0]!;
    await plugin.publish();
    await plugin.publish();
    await plugin.publish();
    await t.sql('delete from outbox_event where position > ? and position <= ?', [
      first,
      first + 2,
    ]);
    release();
    await eventually(() => (seen.length === 2 ? true : undefined));
    expect(seen).toEqual([first, first + 3]);
    expect(lost.map((e) => [e.code, e.details.from, e.details.to])).toEqual([
      [PluginErrorCode.EVENTS_LOST, first + 1, first + 2],
    ]);
    await eventually(async () =>
      (await cursor('deleted-while-running')) === first + 3 ? true : undefined,
    );
    stop.abort();
    await done;
    await quietBus.close();
  });
});

describe('a hub restarted on the same database (issue 4)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let target: DatabaseTarget;
  let masterKeyFile: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'caregraph-cursor-'));
    masterKeyFile = join(dataDir, 'test-master-key');
    await writeMasterKeyFile(masterKeyFile);
    target = database.target.kind === 'postgres' ? database.target : { kind: 'pglite', dataDir };
  });
  afterAll(async () => {
    await database?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  const boot = async (plugins: (typeof follower)[]) => {
    const hub = await createHub({
      config: validateConfig({
        nodeEnv: 'test',
        port: 0,
        memory: false,
        dataDir,
        masterKeyFile,
        logLevel: 'silent',
        eventRelayPollMs: 100,
      }),
      logger: createLogger({ level: 'silent' }),
      database: target,
      plugins,
      pluginRestartPolicy: POLICY,
    });
    await hub.start();
    return hub;
  };

  it('delivers the events committed while it was down once, and none it had acknowledged', async () => {
    const seen: string[] = [];
    const handler = async (event: CareEventMessage) => void seen.push(event.id);
    let hub = await boot([follower]);
    const tenantId = hub.seeded!.tenantId;
    const userId = pickUser(await listActiveUsers(hub.orm), { role: Role.INTEGRATION })!.id;
    let plugin = pluginOf(hub, tenantId, userId);
    plugin.follow(handler);
    await settle();
    const before = await plugin.publish();
    await eventually(() => (seen.length === 1 ? true : undefined));
    await hub.stop();

    // The same deployment, while the plugin is not running: events are committed.
    hub = await boot([follower]);
    plugin = pluginOf(hub, tenantId, userId);
    const whileDown = [await plugin.publish(), await plugin.publish()];
    await hub.stop();

    hub = await boot([follower]);
    plugin = pluginOf(hub, tenantId, userId);
    plugin.follow(handler);
    await eventually(() => (seen.length === 3 ? true : undefined), 15_000);
    const after = await plugin.publish();
    await eventually(() => (seen.length === 4 ? true : undefined));
    await settle();
    await hub.stop();
    expect(seen).toEqual([before, ...whileDown, after]);
  }, 180_000);
});
