import { CareEventType, type CareEventMessage } from '@caregraph/schema';
import { BUS_GAP, type BusDelivery } from './bounded-event-queue.js';
import { ROUTE_ALL, type EventAudience } from './event-audience.js';
import type { EventMetrics } from './event-metrics.js';
import { LocalFanout } from './local-fanout.js';

const TENANT = '00000000-0000-4000-8000-000000000001';
const OTHER_TENANT = '00000000-0000-4000-8000-000000000002';

function event(position: number, patient: string, tenantId = TENANT): CareEventMessage {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    tenantId,
    type: CareEventType.TASK_ASSIGNED,
    occurredAt: new Date().toISOString(),
    patientId: patient,
    summary: 'Task assigned',
    subject: { type: 'Task', id: '00000000-0000-4000-8000-0000000000bb' },
    position,
  };
}

/** What a subscription has queued so far, without waiting for more. */
async function drain(iterable: AsyncIterable<BusDelivery>, count: number): Promise<BusDelivery[]> {
  const out: BusDelivery[] = [];
  if (count === 0) return out;
  for await (const delivery of iterable) {
    out.push(delivery);
    if (out.length === count) break;
  }
  return out;
}

function positions(deliveries: BusDelivery[]): (number | 'gap')[] {
  return deliveries.map((d) => (d === BUS_GAP ? 'gap' : (d as CareEventMessage).position!));
}

/** Counts wake-ups and skips like the hub's Prometheus counters. */
function countingMetrics(): EventMetrics & { woken: number; skipped: number } {
  return {
    woken: 0,
    skipped: 0,
    published: () => undefined,
    publishFailed: () => undefined,
    overflowed: () => undefined,
    routed(woken, skipped) {
      this.woken += woken;
      this.skipped += skipped;
    },
  };
}

/** An audience of `patient:<id>` plus the keys of `teams[id]`, resolved after `delayMs[id]`. */
function audienceOf(
  teams: Record<string, string[]>,
  delayMs: Record<string, number> = {},
): EventAudience & { calls: number } {
  const audience = async (e: CareEventMessage) => {
    audience.calls++;
    await new Promise((resolve) => setTimeout(resolve, delayMs[e.patientId] ?? 0));
    return new Set([`patient:${e.patientId}`, ...(teams[e.patientId] ?? [])]);
  };
  audience.calls = 0;
  return audience;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('LocalFanout audience routing (issue 4)', () => {
  it('wakes only subscriptions sharing a key with the event, and wildcard ones', async () => {
    const metrics = countingMetrics();
    const fanout = new LocalFanout(metrics, audienceOf({ p1: ['practitioner:a'] }));
    const abort = new AbortController();
    const onTeam = fanout.subscribe(TENANT, abort.signal, { routes: ['practitioner:a'] });
    const offTeam = fanout.subscribe(TENANT, abort.signal, { routes: ['practitioner:b'] });
    const patient = fanout.subscribe(TENANT, abort.signal, { routes: ['patient:p2'] });
    const everything = fanout.subscribe(TENANT, abort.signal, { routes: [ROUTE_ALL] });
    const byDefault = fanout.subscribe(TENANT, abort.signal);
    fanout.deliver(event(1, 'p1'));
    fanout.deliver(event(2, 'p2'));
    fanout.deliver(event(3, 'p1', OTHER_TENANT));
    await settle();
    expect(positions(await drain(onTeam, 1))).toEqual([1]);
    expect(positions(await drain(patient, 1))).toEqual([2]);
    expect(positions(await drain(everything, 2))).toEqual([1, 2]);
    expect(positions(await drain(byDefault, 2))).toEqual([1, 2]);
    // Each event woke the matching and wildcard subscriptions and spared the others.
    expect(metrics).toMatchObject({ woken: 6, skipped: 4 });
    fanout.signalGap();
    // The off-team subscription was never woken: the gap is the first thing it gets.
    expect(await drain(offTeam, 1)).toEqual([BUS_GAP]);
    abort.abort();
    fanout.close();
  });

  it('keeps each subscription’s order when later events’ lookups finish first', async () => {
    // p1's lookups are slow, p2's fast: every queue must still get positions in order.
    const audience = audienceOf(
      { p1: ['practitioner:a'], p2: ['practitioner:a'] },
      { p1: 30, p2: 0 },
    );
    const fanout = new LocalFanout(undefined, audience);
    const abort = new AbortController();
    const a = fanout.subscribe(TENANT, abort.signal, { routes: ['practitioner:a'] });
    const all = fanout.subscribe(TENANT, abort.signal, { routes: [ROUTE_ALL] });
    const patients = ['p1', 'p2', 'p1', 'p2', 'p2', 'p1'];
    patients.forEach((patient, i) => fanout.deliver(event(i + 1, patient)));
    fanout.signalGap();
    fanout.deliver(event(7, 'p2'));
    expect(positions(await drain(a, 8))).toEqual([1, 2, 3, 4, 5, 6, 'gap', 7]);
    expect(positions(await drain(all, 8))).toEqual([1, 2, 3, 4, 5, 6, 'gap', 7]);
    // The lookups ran concurrently, once per event.
    expect(audience.calls).toBe(7);
    abort.abort();
    fanout.close();
  });

  it('sends an event to every subscription when its lookup fails, and skips it when nobody routes', async () => {
    const audience = Object.assign(
      async (e: CareEventMessage): Promise<ReadonlySet<string>> => {
        audience.calls++;
        if (e.patientId === 'broken') throw new Error('database down');
        return new Set([`patient:${e.patientId}`]);
      },
      { calls: 0 },
    );
    const fanout = new LocalFanout(undefined, audience);
    const abort = new AbortController();
    const wildcardOnly = fanout.subscribe(TENANT, abort.signal);
    fanout.deliver(event(1, 'p1'));
    // Only wildcard subscriptions: no lookup, delivered at once.
    expect(audience.calls).toBe(0);
    expect(positions(await drain(wildcardOnly, 1))).toEqual([1]);
    const narrow = fanout.subscribe(TENANT, abort.signal, { routes: ['patient:p9'] });
    fanout.deliver(event(2, 'broken'));
    fanout.deliver(event(3, 'p1'));
    expect(positions(await drain(narrow, 1))).toEqual([2]);
    expect(positions(await drain(wildcardOnly, 2))).toEqual([2, 3]);
    expect(audience.calls).toBe(2);
    abort.abort();
    expect(fanout.size(TENANT)).toBe(0);
    fanout.close();
  });
});
