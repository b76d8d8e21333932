import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { Role, User } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

const ISSUER = 'https://id.example.test';
const AUDIENCE = 'caregraph-api';

let jwksServer: Server;
let privateKey: CryptoKey;
let t: TestHub;
let jwksRequests = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((req, res) => {
    jwksRequests++;
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const { port } = jwksServer.address() as AddressInfo;
  t = await createTestHub({
    config: {
      jwt: {
        jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        issuer: ISSUER,
        audience: AUDIENCE,
      },
    },
  });
  const nurse = t.seed.users.find((u) => u.roles.includes(Role.NURSE))!;
  await t.inTenant((em) =>
    em.nativeUpdate(User, { id: nurse.id }, { subject: 'idp|nurse-1' }, { filters: false }),
  );
});

afterAll(async () => {
  await t?.stop();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

function idpToken(claims: {
  sub: string;
  aud?: string;
  iss?: string;
  exp?: string | number;
}): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'idp-key-1' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(privateKey);
}

describe('tokens from an OIDC identity provider (JWKS over HTTP)', () => {
  it('accepts a token whose subject is linked to a user, with roles from the database', async () => {
    const res = await t.graphql<{ me: { roles: string[] } }>(
      '{ me { roles } }',
      {},
      { token: await idpToken({ sub: 'idp|nurse-1' }) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.me.roles).toEqual(['NURSE']);
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it.each([
    ['another audience', { sub: 'idp|nurse-1', aud: 'someone-else' }],
    ['another issuer', { sub: 'idp|nurse-1', iss: 'https://evil.example' }],
    ['an expired token', { sub: 'idp|nurse-1', exp: Math.floor(Date.now() / 1000) - 60 }],
    ['a subject no user is linked to', { sub: 'idp|stranger' }],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_label, claims) => {
    const res = await t.graphql('{ me { id } }', {}, { token: await idpToken(claims) });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('still accepts dev tokens outside production', async () => {
    const res = await t.graphql<{ me: { roles: string[] } }>(
      '{ me { roles } }',
      {},
      { role: Role.BILLING },
    );
    expect(res.body.data!.me.roles).toEqual(['BILLING']);
  });
});
