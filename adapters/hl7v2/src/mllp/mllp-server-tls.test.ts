import net from 'node:net';
import { TestPki, type TestKeyPair } from '../testing/test-pki.js';
import { MllpClient } from './mllp-client.js';
import { MllpErrorCode } from './mllp-error.js';
import { MllpServer } from './mllp-server.js';
import type { MllpConnectionInfo, MllpServerTlsOptions } from './mllp-server-options.js';

let pki: TestPki;
let serverPair: TestKeyPair;
let clientPair: TestKeyPair;
let strangerPair: TestKeyPair;

beforeAll(() => {
  pki = new TestPki();
  serverPair = pki.selfSigned('server', 'localhost');
  clientPair = pki.selfSigned('client', 'lab-sender');
  strangerPair = pki.selfSigned('stranger', 'stranger');
});

afterAll(() => pki.dispose());

const servers: MllpServer[] = [];
const clients: MllpClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(
  tls: MllpServerTlsOptions,
  seen: MllpConnectionInfo[] = [],
): Promise<MllpServer> {
  const server = new MllpServer({
    host: '127.0.0.1',
    port: 0,
    tls,
    handler: (payload, { connection }) => {
      seen.push(connection);
      return `ACK|${payload}`;
    },
  });
  servers.push(server);
  await server.listen();
  return server;
}

async function connect(server: MllpServer, pair?: TestKeyPair): Promise<MllpClient> {
  const client = await MllpClient.connect({
    port: server.port as number,
    tls: { ca: serverPair.cert, ...pair },
  });
  clients.push(client);
  return client;
}

describe('MllpServer over TLS', () => {
  it('answers over TLS and tells the handler the protocol', async () => {
    const seen: MllpConnectionInfo[] = [];
    const server = await start(serverPair, seen);
    const client = await connect(server);
    expect((await client.send('MSH|tls')).toString()).toBe('ACK|MSH|tls');
    expect(seen[0]?.tls).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
  });

  it('is not trusted by a client without the server certificate', async () => {
    const server = await start(serverPair);
    await expect(
      MllpClient.connect({ port: server.port as number, tls: {} }),
    ).rejects.toMatchObject({ code: MllpErrorCode.CONNECT_FAILED });
  });

  it('answers a half-closing TLS sender', async () => {
    const server = await start(serverPair);
    const client = await connect(server);
    const answer = client.send('last');
    await client.close();
    expect((await answer).toString()).toBe('ACK|last');
  });

  it('closes without waiting for a TLS handshake that never completes', async () => {
    const server = await start(serverPair);
    const silent = net.connect({ host: '127.0.0.1', port: server.port as number });
    await new Promise((resolve) => silent.once('connect', resolve));
    const closed = new Promise((resolve) => silent.once('close', resolve));
    const before = Date.now();
    await server.close();
    await closed;
    expect(Date.now() - before).toBeLessThan(1000);
  });

  describe('mutual TLS', () => {
    const mutual = (): MllpServerTlsOptions => ({
      ...serverPair,
      ca: clientPair.cert,
      requestCert: true,
    });

    it('accepts a client with a trusted certificate and names it', async () => {
      const seen: MllpConnectionInfo[] = [];
      const server = await start(mutual(), seen);
      const client = await connect(server, clientPair);
      expect((await client.send('m')).toString()).toBe('ACK|m');
      expect(seen[0]?.tls).toMatchObject({
        authorized: true,
        peerSubject: 'lab-sender',
        peerFingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      });
    });

    it.each([
      ['without a certificate', undefined],
      ['with an untrusted certificate', 'stranger'],
    ])('rejects a client %s, before any frame is handled', async (_label, which) => {
      const seen: MllpConnectionInfo[] = [];
      const server = await start(mutual(), seen);
      // Under TLS 1.3 the client may finish its side of the handshake before the server's
      // verdict: the refusal then arrives as the connection failing on the first exchange.
      const outcome = await connect(server, which ? strangerPair : undefined)
        .then((client) => client.send('m', { timeoutMs: 1000 }))
        .catch((err: unknown) => err);
      expect(outcome).toMatchObject({
        code: expect.stringMatching(/^CG_ERR_MLLP_(CONNECT_FAILED|CLOSED)$/),
      });
      expect(seen).toEqual([]);
      expect(server.stats()).toMatchObject({ tlsErrors: 1, framesReceived: 0 });
    });
  });
});
