import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '@caregraph/schema';
import { validateConfig } from '../config/load-config.js';
import { CareGraphError } from '../errors/caregraph-error.js';
import { createLogger } from '../logging/logger.js';
import { createHub } from '../server/create-hub.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { buildPersistedQueryManifest } from './persisted-query-manifest.js';
import { sha256Hex, type PersistedQueryManifest } from './trusted-documents.js';

// Issue #3 "GraphQL hardening": trusted-documents mode runs only the operations of a persisted
// query manifest, over HTTP and WebSocket.

type WireError = { message: string; extensions?: Record<string, unknown> };

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const OPERATIONS = `
query Me { me { id ...Who } }
fragment Who on User { displayName }
subscription Feed { careTeamFeed { id type } }
`;

let dir: string;
let manifest: PersistedQueryManifest;
let t: TestHub;
let me: { id: string; body: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'caregraph-trusted-'));
  manifest = buildPersistedQueryManifest([{ name: 'ops.graphql', text: OPERATIONS }]);
  me = manifest.operations.find((o) => o.name === 'Me')!;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  t = await createTestHub({ config: { trustedDocuments: join(dir, 'manifest.json') } });
});
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function post(body: unknown) {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await t.token({ role: Role.NURSE })}`,
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: WireError[] },
  };
}

const byId = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

describe('the manifest builder', () => {
  it('writes one entry per operation, with its fragments, keyed by the sha256 of its body', () => {
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.operations.map((o) => [o.name, o.type])).toEqual([
      ['Me', 'query'],
      ['Feed', 'subscription'],
    ]);
    expect(me.body).toMatch(/^query Me \{[\s\S]*\n\nfragment Who on User \{/);
    expect(me.id).toBe(sha256Hex(me.body));
  });

  it('is the caregraph trusted-documents command', async () => {
    await writeFile(join(dir, 'ops.graphql'), OPERATIONS);
    const out = join(dir, 'cli-manifest.json');
    const code = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, [CLI, 'trusted-documents', join(dir, 'ops.graphql'), '-o', out], {
        stdio: 'ignore',
      }).on('close', resolve),
    );
    expect(code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(manifest);
  });
});

describe('trusted documents over HTTP', () => {
  it('runs a registered operation named by id', async () => {
    const res = await post({ extensions: byId(me.id) });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      me: { id: expect.any(String), displayName: expect.any(String) },
    });
  });

  it('runs a registered operation sent as its full document', async () => {
    const res = await post({ query: me.body });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it('runs a registered operation named by id over GET', async () => {
    const params = new URLSearchParams({ extensions: JSON.stringify(byId(me.id)) });
    const response = await fetch(`${t.url}?${params}`, {
      headers: {
        authorization: `Bearer ${await t.token({ role: Role.NURSE })}`,
        'apollo-require-preflight': 'true',
      },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: { me?: { id: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.me?.id).toEqual(expect.any(String));
  });

  it('answers an unknown id with PERSISTED_QUERY_NOT_FOUND', async () => {
    const res = await post({ extensions: byId(sha256Hex('query Other { me { id } }')) });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it.each([
    ['an unregistered query', () => '{ me { id } }'],
    ['a registered query with other whitespace', () => `${me.body} `],
    ['an unregistered mutation', () => 'mutation { completeTask(id: "x") { id } }'],
    ['introspection', () => '{ __schema { types { name } } }'],
  ])('refuses %s with PERSISTED_QUERY_NOT_IN_LIST', async (_what, query) => {
    const res = await post({ query: query() });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      {
        message: 'This server only runs registered operations, and this one is not registered.',
        extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' },
      },
    ]);
  });

  it('refuses a registered id sent with another document', async () => {
    const res = await post({ query: '{ me { id roles } }', extensions: byId(me.id) });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});

describe('trusted documents over WebSocket', () => {
  let client: Client;
  let closed = false;
  beforeAll(async () => {
    client = createClient({
      url: t.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${await t.token({ role: Role.NURSE })}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => {},
      on: { closed: () => (closed = true) },
    });
  });
  afterAll(async () => {
    await client?.dispose();
  });

  function run(payload: {
    query: string;
    extensions?: Record<string, unknown>;
  }): Promise<{ data?: unknown; errors?: readonly WireError[] }> {
    return new Promise((resolve, reject) => {
      let last: { data?: unknown; errors?: readonly WireError[] } = {};
      client.subscribe(payload, {
        next: (result) => (last = result as typeof last),
        error: (error) =>
          Array.isArray(error) ? resolve({ errors: error as WireError[] }) : reject(error),
        complete: () => resolve(last),
      });
    });
  }

  it('runs registered operations by document and by id, refuses others, keeps the socket', async () => {
    const byDocument = await run({ query: me.body });
    expect(byDocument.errors).toBeUndefined();
    expect(byDocument.data).toEqual({ me: expect.objectContaining({ id: expect.any(String) }) });

    const named = await run({ query: '', extensions: byId(me.id) });
    expect(named.errors).toBeUndefined();

    const refused = await run({ query: 'subscription { careTeamFeed { id summary } }' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const unknown = await run({ query: '', extensions: byId('0'.repeat(64)) });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(closed).toBe(false);
  });
});

describe('a bad manifest', () => {
  async function boot(path: string): Promise<unknown> {
    return createHub({
      config: validateConfig({ nodeEnv: 'test', port: 0, memory: true, trustedDocuments: path }),
      logger: createLogger({ level: 'silent' }),
      database: { kind: 'pglite-memory' },
    }).then(
      (hub) => hub.stop().then(() => undefined),
      (error: unknown) => error,
    );
  }

  it('stops the boot when the file is missing', async () => {
    const error = await boot(join(dir, 'missing.json'));
    expect(error).toBeInstanceOf(CareGraphError);
    expect((error as CareGraphError).code).toBe('CG_ERR_CONFIG_INVALID');
    expect((error as Error).message).toMatch(/CAREGRAPH_TRUSTED_DOCUMENTS.*does not exist/);
  });

  it('stops the boot when the file is not a persisted query manifest', async () => {
    await writeFile(join(dir, 'wrong.json'), JSON.stringify({ 'query Me { me { id } }': 'x' }));
    const error = await boot(join(dir, 'wrong.json'));
    expect((error as CareGraphError).code).toBe('CG_ERR_CONFIG_INVALID');
    expect((error as Error).message).toMatch(/CAREGRAPH_TRUSTED_DOCUMENTS.*format/);
  });
});
