/**
 * Issue 4 (operational gaps): Prometheus `/metrics`, scraped over real HTTP. Served only when
 * enabled, behind a bearer token; relay, bus and plugin numbers move as the hub works; no label
 * names a tenant.
 */
import { Role } from '@caregraph/schema';
import { definePlugin } from '@caregraph/plugin-sdk';
import { QUEUE_OVERFLOW } from '../events/event-bus.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { eventually } from '../testing/eventually.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';

const meter = definePlugin({
  id: 'meter',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  routes: [
    {
      method: 'POST',
      path: '/ping',
      handler: async (_request, ctx) => {
        ctx.metrics.increment('pings_total', 1, { source: 'test' });
        ctx.metrics.observe('ping_seconds', 0.25);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/bad-metric',
      handler: async (_request, ctx) => {
        ctx.metrics.increment('Bad-Name');
        return { status: 204 };
      },
    },
  ],
});

let t: TestHub;
const base = () => t.url.replace(/\/graphql$/, '');

async function scrape(token: string | undefined = TOKEN): Promise<Response> {
  return fetch(`${base()}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** The value of one series in the exposition text (labels in the order printed). */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function metrics(): Promise<string> {
  const res = await scrape();
  expect(res.status).toBe(200);
  return res.text();
}

async function createTask(title: string): Promise<void> {
  const [patient] = await t.sql<{ id: string }>('select id from patient limit 1');
  const res = await t.graphql(
    'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
    { input: { patientId: patient!.id, title } },
    { role: Role.PHYSICIAN },
  );
  expect(res.body.errors).toBeUndefined();
}

beforeAll(async () => {
  t = await createTestHub({
    plugins: [meter],
    config: { metricsEnabled: true, metricsToken: TOKEN, eventRelayPollMs: 100 },
  });
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

describe('/metrics (issue 4)', () => {
  it('refuses a scrape without the bearer token, or with another one', async () => {
    const none = await scrape('');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect((await scrape('not-the-token-but-long-enough')).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect(await ok.text()).toContain('caregraph_process_cpu_user_seconds_total');
  });

  it('counts what the relay publishes, and reports its lag', async () => {
    const before = await metrics();
    const published = valueOf(before, 'caregraph_events_published_total')!;
    expect(valueOf(before, 'caregraph_event_publish_failures_total')).toBe(0);
    await createTask('Metrics: one');
    await createTask('Metrics: two');
    await eventually(
      async () =>
        valueOf(await metrics(), 'caregraph_events_published_total')! >= published + 2 || undefined,
    );
    const lag = valueOf(await metrics(), 'caregraph_outbox_relay_lag_seconds');
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);
  });

  it('shows a lag that grows while a row waits unpublished', async () => {
    await t.hub.careEvents.relay.stop();
    try {
      await createTask('Metrics: waits');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(valueOf(await metrics(), 'caregraph_outbox_relay_lag_seconds')).toBeGreaterThan(1);
    } finally {
      t.hub.careEvents.relay.start();
    }
    await eventually(
      async () => valueOf(await metrics(), 'caregraph_outbox_relay_lag_seconds') === 0 || undefined,
    );
  });

  it('gauges live subscriptions and counts queue overflows (Resync)', async () => {
    const active = valueOf(await metrics(), 'caregraph_event_subscriptions_active')!;
    const overflows = valueOf(await metrics(), 'caregraph_event_subscriber_overflows_total')!;
    const stop = new AbortController();
    const slow = t.hub.events.subscribe(t.seed.tenantId, stop.signal, { maxQueue: 1 });
    expect(valueOf(await metrics(), 'caregraph_event_subscriptions_active')).toBe(active + 1);
    const published = valueOf(await metrics(), 'caregraph_events_published_total')!;
    await createTask('Metrics: overflow one');
    await createTask('Metrics: overflow two');
    // Both reach the queue before anything reads it: the second overflows it.
    await eventually(
      async () =>
        valueOf(await metrics(), 'caregraph_events_published_total')! >= published + 2 || undefined,
    );
    const seen: unknown[] = [];
    for await (const delivery of slow) {
      seen.push(delivery);
      if (delivery === QUEUE_OVERFLOW) break;
    }
    expect(seen.at(-1)).toBe(QUEUE_OVERFLOW);
    stop.abort();
    const after = await metrics();
    expect(valueOf(after, 'caregraph_event_subscriber_overflows_total')).toBe(overflows + 1);
    expect(valueOf(after, 'caregraph_event_subscriptions_active')).toBe(active);
  });

  it('exports plugin states and plugin metrics with a plugin label, and no tenant anywhere', async () => {
    const ping = await fetch(`${base()}/plugins/meter/ping`, { method: 'POST' });
    expect(ping.status).toBe(204);
    const text = await metrics();
    expect(valueOf(text, 'caregraph_plugin_status{plugin="meter",state="running"}')).toBe(1);
    expect(valueOf(text, 'caregraph_plugin_status{plugin="meter",state="failed"}')).toBe(0);
    expect(valueOf(text, 'caregraph_plugin_pings_total{source="test",plugin="meter"}')).toBe(1);
    expect(valueOf(text, 'caregraph_plugin_ping_seconds_count{plugin="meter"}')).toBe(1);
    expect(valueOf(text, 'caregraph_plugin_ping_seconds_sum{plugin="meter"}')).toBe(0.25);
    expect(text).not.toContain(t.seed.tenantId);
    expect(text).not.toMatch(/tenant/i);
  });

  it('refuses a plugin metric whose name is not snake_case (the route fails, nothing is exported)', async () => {
    const res = await fetch(`${base()}/plugins/meter/bad-metric`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await metrics()).not.toContain('Bad-Name');
  });
});
