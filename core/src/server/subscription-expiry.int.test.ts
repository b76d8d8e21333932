import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '@caregraph/schema';
import { mintDevToken } from '../auth/dev-token.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { CLOSE_FORBIDDEN } from './graphql-ws-server.js';

let t: TestHub;
beforeAll(async () => {
  t = await createTestHub();
});
afterAll(async () => {
  await t?.stop();
});

describe('subscriptions and token lifetime', () => {
  it('closes the socket with 4403 when the token it connected with expires', async () => {
    const nurse = t.seed.users.find((u) => u.roles.includes(Role.NURSE))!;
    const token = await mintDevToken(
      t.hub.devSigningKey!,
      { userId: nurse.id, tenantId: t.seed.tenantId },
      '2s',
    );
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: t.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${token}` },
        retryAttempts: 0,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe(
        { query: 'subscription { careTeamFeed { id } }' },
        { next: () => {}, error: () => {}, complete: () => {} },
      );
    });
    const started = Date.now();
    expect(await closed).toBe(CLOSE_FORBIDDEN);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
