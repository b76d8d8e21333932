/**
 * Issue 4: durable plugin jobs on pg-boss (through the ORM's PGlite instance, or PostgreSQL). A
 * job that throws is retried with backoff and then succeeds; the hub keeps serving; a job with a
 * singleton key is queued once while it waits; a plugin cannot schedule a job it did not declare;
 * a start hook can schedule one on a new database (the queues are created before plugins start).
 */
import { Role } from '@caregraph/schema';
import { definePlugin, PluginErrorCode } from '@caregraph/plugin-sdk';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

const attempts: { retryCount: number; tenantId?: string; data: unknown }[] = [];
const done: string[] = [];

const reminders = definePlugin({
  id: 'reminders',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  jobs: [
    {
      name: 'send-reminder',
      retryLimit: 3,
      retryDelaySeconds: 1,
      async run(data, job) {
        attempts.push({ retryCount: job.retryCount, tenantId: job.tenantId, data });
        if (job.retryCount === 0) throw new Error('SMS gateway timed out');
        done.push(job.id);
      },
    },
  ],
  async start(ctx) {
    // Scheduled from the start hook, far ahead: its queue must exist before plugins start.
    await ctx.jobs.schedule(
      'send-reminder',
      { at: 'boot' },
      { startAfter: new Date(Date.now() + 3_600_000) },
    );
  },
  routes: [
    {
      method: 'POST',
      path: '/schedule',
      handler: async (request, ctx) => {
        const { name, tenantId, key } = request.body as {
          name: string;
          tenantId?: string;
          key?: string;
        };
        try {
          const id = await ctx.jobs.schedule(
            name,
            { appointment: 'a-1' },
            // Far enough ahead that the job is still waiting when it is scheduled again.
            key
              ? { tenantId, singletonKey: key, startAfter: new Date(Date.now() + 3_600_000) }
              : { tenantId },
          );
          return { status: 202, body: { id } };
        } catch (error) {
          return { status: 400, body: { code: (error as { code?: string }).code } };
        }
      },
    },
  ],
});

let t: TestHub;

beforeAll(async () => {
  t = await createTestHub({ plugins: [reminders] });
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const schedule = (body: object) =>
  fetch(`${t.url.replace(/\/graphql$/, '')}/plugins/reminders/schedule`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('plugin jobs (issue 4)', () => {
  it('lets a start hook schedule a job on a new database: the queues exist before plugins start', () => {
    expect(t.hub.plugins.host.statuses()).toEqual([
      expect.objectContaining({ id: 'reminders', state: 'running', restarts: 0 }),
    ]);
  });

  it('retries a failing job with backoff until it succeeds, and the hub keeps serving', async () => {
    const res = await schedule({ name: 'send-reminder', tenantId: t.seed.tenantId });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const deadline = Date.now() + 30_000;
    while (!done.includes(id) && Date.now() < deadline) {
      const me = await t.graphql('{ me { id } }', {}, { role: Role.NURSE });
      expect(me.body.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(done).toEqual([id]);
    expect(attempts.map((a) => a.retryCount)).toEqual([0, 1]);
    expect(attempts[0]).toEqual({
      retryCount: 0,
      tenantId: t.seed.tenantId,
      data: { appointment: 'a-1' },
    });
    expect(t.hub.plugins.host.statuses()[0]?.state).toBe('running');
  }, 60_000);

  it('queues a job with a singleton key once while it waits', async () => {
    const first = (await (await schedule({ name: 'send-reminder', key: 'appt-7' })).json()) as {
      id: string;
    };
    const again = (await (await schedule({ name: 'send-reminder', key: 'appt-7' })).json()) as {
      id: string;
    };
    const other = (await (await schedule({ name: 'send-reminder', key: 'appt-8' })).json()) as {
      id: string;
    };
    expect(first.id).toBeTruthy();
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
  });

  it('refuses to schedule a job the plugin did not declare', async () => {
    const res = await schedule({ name: 'not-declared' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: PluginErrorCode.UNDECLARED });
  });
});
