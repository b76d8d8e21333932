import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Role, User } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { CLOSE_FORBIDDEN } from './graphql-ws-server.js';

// Issue #3 "GraphQL hardening": a subscription socket closes with 4403 when its user is
// deactivated or loses a role, not only when its token expires.

type Closed = { code: number; reason: string };

/** The users of a role in the demo clinic (several per role, so tests do not share one). */
function usersWith(t: TestHub, role: Role) {
  return t.seed.users.filter((u) => u.roles.includes(role));
}

async function setUser(
  t: TestHub,
  userId: string,
  change: Partial<Pick<User, 'active' | 'roles'>>,
) {
  await t.inTenant((em) => em.nativeUpdate(User, { id: userId }, change, { filters: false }));
}

function listeners(t: TestHub): number {
  return t.hub.events.activeSubscriptions(t.seed.tenantId);
}

/** Opens a careTeamFeed subscription as `userId`; resolves once it is live. */
async function openFeed(t: TestHub, userId: string) {
  const token = await t.token({ userId });
  let resolveClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (resolveClosed = resolve));
  const errors: unknown[] = [];
  const client: Client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveClosed({ code, reason: String(reason) });
      },
    },
  });
  const before = listeners(t);
  client.subscribe(
    { query: 'subscription { careTeamFeed { id type } }' },
    { next: () => {}, error: (e) => errors.push(e), complete: () => {} },
  );
  const deadline = Date.now() + 10_000;
  while (listeners(t) <= before) {
    if (Date.now() > deadline) throw new Error('the subscription did not go live');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { client, closed, errors };
}

/** Waits for the close, at most `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no close within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

describe('periodic re-validation of open sockets', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await createTestHub({ config: { wsRevalidateSeconds: 1 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('closes with 4403 when the user is deactivated', async () => {
    const nurse = usersWith(t, Role.NURSE)[0]!;
    const feed = await openFeed(t, nurse.id);
    await setUser(t, nurse.id, { active: false });
    expect(await within(feed.closed, 10_000)).toEqual({
      code: CLOSE_FORBIDDEN,
      reason: 'Forbidden',
    });
    await feed.client.dispose();
  });

  it('closes with 4403 when the user loses a role it connected with', async () => {
    const physician = usersWith(t, Role.PHYSICIAN)[0]!;
    const feed = await openFeed(t, physician.id);
    await setUser(t, physician.id, {
      roles: physician.roles.filter((role) => role !== Role.PHYSICIAN),
    });
    expect(await within(feed.closed, 10_000)).toEqual({
      code: CLOSE_FORBIDDEN,
      reason: 'Forbidden',
    });
    await feed.client.dispose();
  });

  it('keeps the sockets of other users open', async () => {
    const other = usersWith(t, Role.NURSE)[1]!;
    const feed = await openFeed(t, other.id);
    const res = await t.graphql<{ me: { id: string } }>('{ me { id } }', {}, { userId: other.id });
    expect(res.body.data?.me.id).toBe(other.id);
    let stillOpen = true;
    void feed.closed.then(() => (stillOpen = false));
    // Two re-validation rounds pass (bounded wait), and the socket is still there.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(stillOpen).toBe(true);
    await feed.client.dispose();
  });
});

describe('re-validation at subscribe', () => {
  let t: TestHub;
  beforeAll(async () => {
    // An interval far longer than the test: only the subscribe can notice.
    t = await createTestHub({ config: { wsRevalidateSeconds: 3600 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('closes with 4403 when a subscribe comes after the user was deactivated', async () => {
    const coordinator = usersWith(t, Role.CARE_COORDINATOR)[0] ?? usersWith(t, Role.NURSE)[0]!;
    const feed = await openFeed(t, coordinator.id);
    await setUser(t, coordinator.id, { active: false });
    const refused = new Promise<unknown>((resolve) =>
      feed.client.subscribe(
        { query: '{ me { id } }' },
        { next: () => {}, error: resolve, complete: () => resolve(undefined) },
      ),
    );
    expect(await within(feed.closed, 10_000)).toEqual({
      code: CLOSE_FORBIDDEN,
      reason: 'Forbidden',
    });
    await within(refused, 10_000);
    await feed.client.dispose();
  });
});
