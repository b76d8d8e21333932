import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '@caregraph/schema';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../config/load-config.js';
import { writeMasterKeyFile } from '../crypto/master-key-file.js';
import { createLogger } from '../logging/logger.js';
import { createHub, type Hub } from '../server/create-hub.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

// Issue #3 "GraphQL hardening": hostile operations are refused with a clear error, over HTTP and
// WebSocket, and the hub keeps serving afterwards.

type WireError = { message: string; extensions?: Record<string, unknown> };

let t: TestHub;
beforeAll(async () => {
  t = await createTestHub();
});
afterAll(async () => {
  await t?.stop();
});

/** `{ me { patient { replacedBy { replacedBy ... { id } } } } }`, `depth` levels deep. */
function deepPatientSelection(depth: number): string {
  return `patient { ${'replacedBy { '.repeat(depth)}id${' }'.repeat(depth)} }`;
}

async function expectStillServing(): Promise<void> {
  const res = await t.graphql<{ me: { id: string } }>('{ me { id } }', {}, { role: Role.NURSE });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.me.id).toEqual(expect.any(String));
}

async function postRaw(body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await t.token({ role: Role.NURSE })}`,
    },
    body,
  });
  return { status: response.status, json: await response.json() };
}

function firstError(res: { body: { errors?: WireError[] } }): WireError {
  expect(res.body.errors?.length).toBeGreaterThan(0);
  return res.body.errors![0]!;
}

describe('hostile operations over HTTP', () => {
  afterEach(expectStillServing);

  it('refuses a query 50 levels deep', async () => {
    const res = await t.graphql(`{ me { ${deepPatientSelection(48)} } }`, {}, { role: Role.NURSE });
    expect(res.status).toBe(400);
    const error = firstError(res);
    expect(error.message).toMatch(/^Query depth \d+ exceeds the maximum of 12\.$/);
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.data ?? null).toBeNull();
  });

  it('refuses 1,000 aliases', async () => {
    // (aliases of __typename are harmless and allowed)
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: id`).join(' ');
    const res = await t.graphql(`{ me { ${aliases} } }`, {}, { role: Role.NURSE });
    expect(res.status).toBe(400);
    const error = firstError(res);
    expect(error.message).toBe('Alias count 1000 exceeds the maximum of 15.');
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a fragment cycle', async () => {
    const res = await t.graphql(
      `{ me { patient { ...A } } }
       fragment A on Patient { replacedBy { ...B } }
       fragment B on Patient { replacedBy { ...A } }`,
      {},
      { role: Role.NURSE },
    );
    expect(res.status).toBe(400);
    expect(firstError(res).extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors!.map((e) => e.message).join('\n')).toMatch(/Cannot spread fragment/);
  });

  it('refuses too many directives', async () => {
    const fields = Array.from({ length: 11 }, () => 'id @include(if: true)').join(' ');
    const res = await t.graphql(`{ me { ${fields} } }`, {}, { role: Role.NURSE });
    expect(res.status).toBe(400);
    const error = firstError(res);
    expect(error.message).toBe('Directive count 11 exceeds the maximum of 10.');
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses an over-cost query of nested 100-item connections', async () => {
    const res = await t.graphql(
      `{ patients(first: 100) { edges { node { id
          appointments(first: 100) { edges { node { id start } } } } } } }`,
      {},
      { role: Role.NURSE },
    );
    expect(res.status).toBe(400);
    const error = firstError(res);
    expect(error.message).toMatch(/^Query cost \d+ exceeds the maximum of 50000\.$/);
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a document of more than 5,000 tokens', async () => {
    const res = await t.graphql(
      `{ me { ${'__typename '.repeat(6000)} } }`,
      {},
      { role: Role.NURSE },
    );
    expect(res.status).toBe(400);
    const error = firstError(res);
    expect(error.message).toMatch(/Document contains more tha[nt] 5000 tokens/);
    expect(error.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers a 1 MB string argument with a 413 JSON error', async () => {
    const { status, json } = await postRaw(
      JSON.stringify({
        query: 'query($text: String) { patients(search: { text: $text }) { edges { cursor } } }',
        variables: { text: 'x'.repeat(1024 * 1024) },
      }),
    );
    expect(status).toBe(413);
    expect(json).toEqual({
      errors: [{ message: 'The request body is too large.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('rejects a batch of 100 operations in one body', async () => {
    const batch = Array.from({ length: 100 }, () => ({ query: '{ me { id } }' }));
    const { status, json } = await postRaw(JSON.stringify(batch));
    expect(status).toBe(400);
    expect(JSON.stringify(json)).toMatch(/batching/i);
  });

  it('serves introspection outside production', async () => {
    const res = await t.graphql<{ __schema: { queryType: { name: string } } }>(
      '{ __schema { queryType { name } } }',
      {},
      { role: Role.NURSE },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('hostile operations over WebSocket', () => {
  let client: Client | undefined;
  afterEach(async () => {
    await client?.dispose();
    await expectStillServing();
  });

  /** Runs one operation on the client; resolves with its result or the errors it failed with. */
  function run(
    c: Client,
    query: string,
  ): Promise<{ data?: unknown; errors?: readonly WireError[] }> {
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

  it('rejects a subscription 50 levels deep and keeps the socket usable', async () => {
    let closed = false;
    client = createClient({
      url: t.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${await t.token({ role: Role.NURSE })}` },
      retryAttempts: 0,
      lazy: false,
      on: { closed: () => (closed = true) },
    });

    const deep = await run(
      client,
      `subscription { careTeamFeed { id ${deepPatientSelection(48)} } }`,
    );
    expect(deep.errors?.[0]?.message).toMatch(/^Query depth \d+ exceeds the maximum of 12\.$/);
    expect(deep.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: id`).join(' ');
    const aliased = await run(client, `subscription { careTeamFeed { ${aliases} } }`);
    expect(aliased.errors?.[0]?.message).toBe('Alias count 20 exceeds the maximum of 15.');

    // The same socket still runs a valid operation and opens a valid subscription.
    const me = await run(client, '{ me { id } }');
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: { id: expect.any(String) } });
    const feed = client.iterate({ query: 'subscription { careTeamFeed { id type } }' });
    const live = () => t.hub.events.activeSubscriptions(t.seed.tenantId);
    const before = live();
    const pending = feed.next();
    const deadline = Date.now() + 5_000;
    while (live() <= before) {
      if (Date.now() > deadline) throw new Error('the valid subscription did not go live');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(closed).toBe(false);
    await feed.return?.();
    void pending;
  });
});

describe('a production hub', () => {
  let hub: Hub | undefined;
  let database: TestDatabase | undefined;
  let url: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    const masterKeyFile = join(await mkdtemp(join(tmpdir(), 'cg-prod-')), 'master-key');
    await writeMasterKeyFile(masterKeyFile);
    hub = await createHub({
      config: validateConfig({
        nodeEnv: 'production',
        masterKeyFile,
        databaseUrl: 'postgres://unused/x',
        jwt: { jwksUrl: 'https://id.invalid/jwks', issuer: 'x', audience: 'y' },
        port: 0,
        memory: true,
        logLevel: 'silent',
      }),
      logger: createLogger({ level: 'silent' }),
      database: database.target,
    });
    url = await hub.start();
  });
  afterAll(async () => {
    await hub?.stop();
    await database?.dispose();
  });

  async function post(query: string) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: WireError[] },
    };
  }

  it('refuses introspection', async () => {
    const res = await post('{ __schema { types { name } } }');
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toMatch(/introspection/i);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('gives no field suggestions', async () => {
    const res = await post('{ mee { id } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toMatch(/Did you mean/);
  });

  it('serves no landing page', async () => {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    const text = await response.text();
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(text).not.toMatch(/sandbox/i);
  });
});
