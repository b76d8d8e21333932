/**
 * Issue 4, backpressure over a real graphql-ws WebSocket: a subscriber whose queue
 * (`eventSubscriberQueue`, 2 here) overflows gets one `Resync` event and its subscription
 * completes; resubscribing with `after` = the Resync id replays everything it missed, once.
 *
 * Without sleeps: one transaction commits a burst of events, and the relay hands a batch to the
 * bus back to back, while the subscription's consumer waits on I/O (the database for
 * authorisation, the socket for sending) for every event. Audience routing looks each event's
 * audience up (concurrently) before queueing it, so a few events of the burst may reach the
 * subscriber before its queue overflows; the burst is long enough that it does.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { CareEventType, Role, User } from '@caregraph/schema';
import { authenticated } from '../context/authenticated.js';
import { withTenantScope } from '../db/tenant-scope.js';
import { write } from '../services/transaction.js';
import { careTeamSplit } from '../testing/access-fixtures.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { until } from '../testing/eventually.js';

const FEED = `subscription($after: ID) { careTeamFeed(after: $after) {
  id type patient { id }
} }`;
const QUEUE = 2;
const BURST = 20;

type FeedEvent = { id: string; type: string; patient: { id: string } | null };

let t: TestHub;
let subscriber: { token: string; patientId: string };
const clients: Client[] = [];

/** Live subscriptions of the demo tenant on the bus. */
function liveSubscriptions(): number {
  return t.hub.events.activeSubscriptions(t.seed.tenantId);
}

/** A careTeamFeed subscription over its own WebSocket, open once the server follows the bus. */
async function feed(after?: string) {
  const client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${subscriber.token}` },
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  const state = { events: [] as FeedEvent[], errors: [] as unknown[], completed: false };
  const before = liveSubscriptions();
  client.subscribe<{ careTeamFeed: FeedEvent }>(
    { query: FEED, variables: { after } },
    {
      next: (result) => {
        if (result.errors) state.errors.push(...result.errors);
        else state.events.push(result.data!.careTeamFeed);
      },
      error: (error) => state.errors.push(error),
      complete: () => (state.completed = true),
    },
  );
  await until(() => liveSubscriptions() > before, 'the subscription to follow the bus');
  return state;
}

/** Commits `count` PatientUpdated events about the subscriber's patient in one transaction. */
async function commitEvents(count: number): Promise<string[]> {
  return withTenantScope(t.seed.tenantId, async () => {
    const token = await t.token({ role: Role.PHYSICIAN });
    const ctx = authenticated(await t.hub.contexts.create({ authorization: `Bearer ${token}` }));
    await write(ctx, async (scope) => {
      for (let i = 0; i < count; i++)
        scope.emit({
          type: CareEventType.PATIENT_UPDATED,
          patientId: subscriber.patientId,
          summary: 'Patient updated',
          subject: { type: 'Patient', id: subscriber.patientId },
        });
    });
    const rows = await t.sql<{ id: string }>(
      `select id from outbox_event where tenant_id = ? order by sequence desc limit ?`,
      [t.seed.tenantId, count],
    );
    return rows.map((row) => row.id).reverse();
  });
}

beforeAll(async () => {
  t = await createTestHub({ config: { eventSubscriberQueue: QUEUE } });
  const split = await careTeamSplit(t);
  const user = await t.inTenant((em) =>
    em.findOneOrFail(User, { practitioner: split.practitionerId, active: true }),
  );
  subscriber = { token: await t.token({ userId: user.id }), patientId: split.onTeam[0]! };
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await t?.stop();
});

it('sends Resync to a subscriber that fell behind, completes, and replays the rest on resume', async () => {
  const slow = await feed();
  // One event first, so the subscriber has received something to resume after.
  const [first] = await commitEvents(1);
  await until(() => slow.events.some((e) => e.id === first), 'the first event');

  const burst = await commitEvents(BURST);
  await until(() => slow.completed, 'the subscription to complete');
  expect(slow.errors).toEqual([]);
  const resync = slow.events.at(-1)!;
  expect(resync).toMatchObject({ type: 'RESYNC', patient: null });
  // Before the overflow the subscriber got the first event and some of the burst, in order (the
  // rest was dropped); the Resync id is the last event it was sent.
  const delivered = slow.events.slice(0, -1).map((e) => e.id);
  expect(delivered.length).toBeLessThan(1 + BURST);
  expect(delivered).toEqual([first, ...burst].slice(0, delivered.length));
  expect(resync.id).toBe(delivered.at(-1));

  const resumed = await feed(resync.id);
  const missed = burst.filter((id) => !delivered.includes(id));
  await until(() => resumed.events.length >= missed.length, 'the missed events');
  expect(resumed.errors).toEqual([]);
  expect(resumed.events.map((e) => e.id)).toEqual(missed);
  expect(resumed.events.every((e) => e.type === 'PATIENT_UPDATED')).toBe(true);

  // Resumed, it follows live events again.
  const [live] = await commitEvents(1);
  await until(() => resumed.events.some((e) => e.id === live), 'a live event after the replay');
  expect(resumed.events.map((e) => e.id)).toEqual([...missed, live]);
});
