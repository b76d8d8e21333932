import { CareEventType, type CareEventMessage } from '@caregraph/schema';
import { BUS_GAP, InProcessEventBus, QUEUE_OVERFLOW, type BusDelivery } from './event-bus.js';

const TENANT = '00000000-0000-4000-8000-000000000001';

function event(position: number, tenantId = TENANT): CareEventMessage {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    tenantId,
    type: CareEventType.TASK_ASSIGNED,
    occurredAt: new Date().toISOString(),
    patientId: '00000000-0000-4000-8000-0000000000aa',
    summary: 'Task assigned',
    subject: { type: 'Task', id: '00000000-0000-4000-8000-0000000000bb' },
    position,
  };
}

async function take(iterable: AsyncIterable<BusDelivery>, count: number): Promise<BusDelivery[]> {
  const out: BusDelivery[] = [];
  for await (const delivery of iterable) {
    out.push(delivery);
    if (out.length === count) break;
  }
  return out;
}

describe('InProcessEventBus', () => {
  it('drops a slow subscriber’s backlog past its bound and signals it, without holding up others', async () => {
    const bus = new InProcessEventBus();
    const abort = new AbortController();
    const slow = bus.subscribe(TENANT, abort.signal, { maxQueue: 3 });
    const fast = bus.subscribe(TENANT, abort.signal, { maxQueue: 100 });
    for (let i = 1; i <= 10; i++) await bus.publish(event(i));
    expect(await take(slow, 1)).toEqual([QUEUE_OVERFLOW]);
    expect((await take(fast, 10)).map((e) => (e as CareEventMessage).position)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    abort.abort();
    await bus.close();
  });

  it('registers a subscription when subscribe returns and delivers only its tenant', async () => {
    const bus = new InProcessEventBus();
    const abort = new AbortController();
    const stream = bus.subscribe(TENANT, abort.signal);
    await bus.publish(event(1, '00000000-0000-4000-8000-0000000000ff'));
    await bus.publish(event(2));
    expect((await take(stream, 1)).map((e) => (e as CareEventMessage).position)).toEqual([2]);
    expect(bus.activeSubscriptions(TENANT)).toBe(1);
    abort.abort();
    expect(bus.activeSubscriptions(TENANT)).toBe(0);
    await bus.close();
  });

  it('ends a subscription whose signal aborts while it waits', async () => {
    const bus = new InProcessEventBus();
    const abort = new AbortController();
    const waiting = take(bus.subscribe(TENANT, abort.signal), 1);
    abort.abort();
    expect(await waiting).toEqual([]);
    await bus.close();
  });
});

describe('LocalFanout gap signal', () => {
  it('queues BUS_GAP after the events already waiting', async () => {
    const bus = new InProcessEventBus();
    const abort = new AbortController();
    const stream = bus.subscribe(TENANT, abort.signal);
    await bus.publish(event(1));
    (bus as unknown as { fanout: { signalGap(): void } }).fanout.signalGap();
    const [first, second] = await take(stream, 2);
    expect((first as CareEventMessage).position).toBe(1);
    expect(second).toBe(BUS_GAP);
    abort.abort();
    await bus.close();
  });
});
