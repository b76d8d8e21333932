import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '@caregraph/schema';
import { mintDevToken } from '../auth/dev-token.js';
import { validateConfig } from '../config/load-config.js';
import { writeMasterKeyFile } from '../crypto/master-key-file.js';
import { createLogger } from '../logging/logger.js';
import { createTestHub, type GraphQLResponse, type TestHub } from '../testing/create-test-hub.js';
import { createHub, type Hub } from './create-hub.js';
import { CLOSE_FORBIDDEN, CLOSE_RATE_LIMITED } from './graphql-ws-server.js';

// Issue #3 "GraphQL hardening": per-caller rate limiting, over HTTP and WebSocket, in memory and
// shared across hub instances through Redis.

const redisUrl = process.env.CAREGRAPH_TEST_REDIS_URL;
if (process.env.CI && !redisUrl) {
  throw new Error('CI must set CAREGRAPH_TEST_REDIS_URL: the shared rate-limit suite needs Redis');
}

type WireError = { message: string; extensions?: Record<string, unknown> };

function expectRateLimited(res: GraphQLResponse, windowSeconds: number): void {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(res.body.errors).toEqual([
    {
      message: `Too many requests: retry in ${retryAfter} s.`,
      extensions: { code: 'RATE_LIMITED', retryAfter },
    },
  ]);
}

function wsUrl(t: TestHub): string {
  return t.url.replace(/^http/, 'ws');
}

/** Runs one operation on a graphql-ws client; resolves with its result or its errors. */
function run(c: Client, query: string): Promise<{ data?: unknown; errors?: readonly WireError[] }> {
  return new Promise((resolve, reject) => {
    let last: { data?: unknown; errors?: readonly WireError[] } = {};
    c.subscribe(
      { query },
      {
        next: (result) => (last = result as typeof last),
        error: (error) =>
          Array.isArray(error) ? resolve({ errors: error as WireError[] }) : reject(error),
        complete: () => resolve(last),
      },
    );
  });
}

describe('rate limiting in memory (one hub)', () => {
  const points = 3;
  let t: TestHub;
  beforeAll(async () => {
    t = await createTestHub({
      // The test client is the "proxy": X-Forwarded-For names the client.
      config: { rateLimitPoints: points, rateLimitWindowSeconds: 60, trustProxy: 'loopback' },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a user past the budget with 429, Retry-After and RATE_LIMITED', async () => {
    for (let i = 0; i < points; i++) {
      const res = await t.graphql('{ me { id } }', {}, { role: Role.NURSE });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    expectRateLimited(await t.graphql('{ me { id } }', {}, { role: Role.NURSE }), 60);
    // Another user from the same address has a budget of their own.
    const other = await t.graphql('{ me { id } }', {}, { role: Role.PHYSICIAN });
    expect(other.status).toBe(200);
  });

  it('spends the same budget on FHIR export downloads, refused with a throttled OperationOutcome', async () => {
    const token = await t.token({ role: Role.ANALYST });
    const download = () =>
      fetch(new URL(`/fhir/exports/${randomUUID()}`, t.url), {
        headers: { authorization: `Bearer ${token}` },
      });
    for (let i = 1; i < points; i++)
      expect((await t.graphql('{ me { id } }', {}, { token })).status).toBe(200);
    // The last point goes to a download (of an export this user does not have).
    expect((await download()).status).toBe(404);
    const refused = await download();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'throttled',
          diagnostics: `Too many requests: retry in ${retryAfter} s.`,
        },
      ],
    });
    expectRateLimited(await t.graphql('{ me { id } }', {}, { token }), 60);
  });

  it('limits anonymous and invalid-token requests by client address', async () => {
    for (let i = 0; i < points; i++) {
      const res = await t.graphql('{ me { id } }');
      expect(res.status).not.toBe(429);
    }
    expectRateLimited(await t.graphql('{ me { id } }'), 60);
    expectRateLimited(await t.graphql('{ me { id } }', {}, { token: 'not-a-jwt' }), 60);
    // A signed-in user from the same address is not affected, nor another client behind the
    // trusted proxy.
    expect((await t.graphql('{ me { id } }', {}, { role: Role.FRONT_DESK })).status).toBe(200);
    const forwarded = { 'x-forwarded-for': '203.0.113.2' };
    expect((await t.graphql('{ me { id } }', {}, { anonymous: true }, forwarded)).status).not.toBe(
      429,
    );
  });

  it('limits anonymous WebSocket connection attempts by the forwarded client address', async () => {
    class Forwarded extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      }
    }
    const attempt = () =>
      new Promise<number>((resolve) => {
        createClient({
          url: wsUrl(t),
          webSocketImpl: Forwarded,
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => {},
          on: { closed: (event) => resolve((event as { code: number }).code) },
        });
      });
    for (let i = 0; i < points; i++) expect(await attempt()).toBe(CLOSE_FORBIDDEN);
    expect(await attempt()).toBe(CLOSE_RATE_LIMITED);
  });

  it('limits WebSocket operations without closing the socket, then connection attempts', async () => {
    const token = await t.token({ role: Role.CARE_COORDINATOR });
    let closed: number | undefined;
    const client = createClient({
      url: wsUrl(t),
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      on: { closed: (event) => (closed = (event as { code: number }).code) },
    });
    try {
      // The connection spent one point; two operations spend the rest.
      for (let i = 1; i < points; i++) {
        const ok = await run(client, '{ me { id } }');
        expect(ok.errors).toBeUndefined();
      }
      const refused = await run(client, '{ me { id } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(refused.errors?.[0]?.extensions?.retryAfter).toEqual(expect.any(Number));
      expect(closed).toBeUndefined();
    } finally {
      await client.dispose();
    }

    const code = await new Promise<number>((resolve) => {
      const again = createClient({
        url: wsUrl(t),
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => {},
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      again.on('connected', () => void again.dispose());
    });
    expect(code).toBe(CLOSE_RATE_LIMITED);
  });
});

describe('rate limiting with Redis unreachable', () => {
  let t: TestHub;
  beforeAll(async () => {
    // Nothing listens on port 1: the limiter falls back to this instance's memory.
    t = await createTestHub({
      config: {
        redisUrl: 'redis://127.0.0.1:1',
        rateLimitPoints: 2,
        rateLimitWindowSeconds: 60,
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('keeps serving, and keeps limiting per instance', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.graphql('{ me { id } }', {}, { role: Role.NURSE });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    expectRateLimited(await t.graphql('{ me { id } }', {}, { role: Role.NURSE }), 60);
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    for (let i = 0; i < 2; i++) expect((await t.graphql('{ __typename }')).status).not.toBe(429);
    const spoofed = { 'x-forwarded-for': '198.51.100.1' };
    expectRateLimited(await t.graphql('{ __typename }', {}, { anonymous: true }, spoofed), 60);
  });
});

/**
 * Two instances: with Redis (CI always sets it, see above) they spend one budget; without it (a
 * laptop) each counts on its own, as the README says. Either way the suite runs and asserts.
 */
const shared = !!redisUrl;

describe(`rate limiting across two hubs (${shared ? 'shared through Redis' : 'no Redis: one budget each'})`, () => {
  const points = 4;
  const keyPrefix = `caregraph-test:${randomUUID()}`;
  let a: TestHub;
  let b: Hub;
  let bUrl: string;
  let sharesDatabase: boolean;
  beforeAll(async () => {
    // Instances of one deployment share the master key (they may share the database).
    const masterKeyFile = join(await mkdtemp(join(tmpdir(), 'caregraph-rl-')), 'master-key');
    await writeMasterKeyFile(masterKeyFile);
    const config = {
      ...(redisUrl ? { redisUrl } : {}),
      rateLimitPoints: points,
      rateLimitWindowSeconds: 60,
      rateLimitKeyPrefix: keyPrefix,
      masterKeyFile,
    };
    a = await createTestHub({ config });
    // On PostgreSQL the second instance serves the same database, as in production; on PGlite
    // it has an empty database of its own (the budget is keyed by the token's user all the same).
    sharesDatabase = a.database.target.kind === 'postgres';
    b = await createHub({
      config: validateConfig({
        nodeEnv: 'test',
        port: 0,
        memory: true,
        logLevel: 'silent',
        seedDemo: false,
        ...config,
      }),
      logger: createLogger({ level: 'silent' }),
      database: sharesDatabase ? a.database.target : { kind: 'pglite-memory' },
    });
    bUrl = await b.start();
  }, 180_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  async function postToB(query: string, token?: string): Promise<GraphQLResponse> {
    const response = await fetch(bUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as GraphQLResponse['body'],
    };
  }

  /** The next request of a caller who spent half the budget on each hub. */
  function expectOverOrUnder(res: GraphQLResponse): void {
    if (shared) expectRateLimited(res, 60);
    else expect(res.status).not.toBe(429);
  }

  it('spends one budget per user across instances when they share Redis', async () => {
    const nurse = a.seed.users.find((u) => u.roles.includes(Role.NURSE))!;
    const onB = await mintDevToken(
      b.devSigningKey!,
      { userId: nurse.id, tenantId: a.seed.tenantId },
      '1h',
    );
    for (let i = 0; i < points / 2; i++) {
      expect((await a.graphql('{ me { id } }', {}, { role: Role.NURSE })).status).toBe(200);
      // (401 when hub B has a database of its own, where this user does not exist)
      expect((await postToB('{ me { id } }', onB)).status).toBe(sharesDatabase ? 200 : 401);
    }
    expectOverOrUnder(await a.graphql('{ me { id } }', {}, { role: Role.NURSE }));
    expectOverOrUnder(await postToB('{ me { id } }', onB));
    // Another user still has a full budget on both.
    expect((await a.graphql('{ me { id } }', {}, { role: Role.PHYSICIAN })).status).toBe(200);
  });

  it('spends one budget per client address across instances when they share Redis', async () => {
    for (let i = 0; i < points / 2; i++) {
      expect((await a.graphql('{ __typename }')).status).not.toBe(429);
      expect((await postToB('{ __typename }')).status).not.toBe(429);
    }
    expectOverOrUnder(await a.graphql('{ __typename }'));
    expectOverOrUnder(await postToB('{ __typename }'));
  });
});
