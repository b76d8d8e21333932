import net from 'node:net';
import { MllpClient } from './mllp-client.js';
import { MllpError, MllpErrorCode } from './mllp-error.js';
import { frame } from './mllp-framer.js';
import { MllpServer } from './mllp-server.js';
import type { MllpFrameHandler } from './mllp-server-options.js';

const servers: MllpServer[] = [];
const rawServers: net.Server[] = [];
/**
 * The sockets the plain servers accepted. `net.Server.close` leaves them open, and one that never
 * reads (a TLS handshake nobody answers) never sees the client's FIN: it would keep the worker alive.
 */
const rawPeers: net.Socket[] = [];
const clients: MllpClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const peer of rawPeers.splice(0)) peer.destroy();
  await Promise.all(
    rawServers.splice(0).map((raw) => new Promise((resolve) => raw.close(resolve))),
  );
});

async function serve(handler: MllpFrameHandler): Promise<number> {
  const server = new MllpServer({ host: '127.0.0.1', port: 0, handler });
  servers.push(server);
  return (await server.listen()).port;
}

/** A plain TCP server, for peers that misbehave in ways MllpServer never does. */
async function rawServe(
  onConnection: (socket: net.Socket) => void,
  allowHalfOpen = false,
): Promise<number> {
  const raw = net.createServer({ allowHalfOpen }, (socket) => {
    rawPeers.push(socket);
    onConnection(socket);
  });
  rawServers.push(raw);
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  return (raw.address() as net.AddressInfo).port;
}

async function connect(port: number, maxMessageBytes?: number): Promise<MllpClient> {
  const client = await MllpClient.connect({ port, maxMessageBytes });
  clients.push(client);
  return client;
}

describe('MllpClient', () => {
  it('matches pipelined sends to their responses in order', async () => {
    const client = await connect(await serve((p) => `ACK|${p}`));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => client.send(`m${i}`).then(String)),
    );
    expect(answers).toEqual(Array.from({ length: 10 }, (_, i) => `ACK|m${i}`));
    expect(client.pendingCount).toBe(0);
  });

  it('times out, closes the connection and fails the other pending sends', async () => {
    const client = await connect(await serve(() => null));
    const first = client.send('no answer', { timeoutMs: 100 }).catch((err: unknown) => err);
    const second = client.send('behind it', { timeoutMs: 5000 }).catch((err: unknown) => err);
    expect(await first).toMatchObject({
      code: MllpErrorCode.TIMEOUT,
      details: { timeoutMs: 100 },
    });
    expect(await second).toMatchObject({ code: MllpErrorCode.CLOSED });
    expect(client.connected).toBe(false);
    await expect(client.send('again')).rejects.toMatchObject({
      code: MllpErrorCode.NOT_CONNECTED,
    });
  });

  it('fails a pending send with CLOSED when the receiver closes the connection', async () => {
    const port = await rawServe((socket) => socket.once('data', () => socket.end()));
    const client = await connect(port);
    const error = await client.send('m').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MllpError);
    expect(error).toMatchObject({ code: MllpErrorCode.CLOSED });
  });

  it('fails the send of an oversize response and keeps the connection', async () => {
    const client = await connect(
      await serve((p) => (p.toString() === 'big' ? 'x'.repeat(500) : 'ok')),
      100,
    );
    await expect(client.send('big')).rejects.toMatchObject({
      code: MllpErrorCode.OVERSIZE,
      details: { size: 500, maxMessageBytes: 100 },
    });
    expect((await client.send('small')).toString()).toBe('ok');
  });

  it('drops a frame that no send waits for', async () => {
    const port = await rawServe((socket) => {
      socket.write(frame('unsolicited'));
      socket.on('data', () => socket.write(frame('ACK')));
    });
    const client = await connect(port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await client.send('m')).toString()).toBe('ACK');
  });

  it('reports a refused connection with CONNECT_FAILED and the reason', async () => {
    const port = await rawServe(() => undefined);
    await new Promise<void>((resolve) => rawServers.pop()?.close(() => resolve()));
    await expect(MllpClient.connect({ port })).rejects.toMatchObject({
      code: MllpErrorCode.CONNECT_FAILED,
      details: { host: '127.0.0.1', port, reason: 'ECONNREFUSED' },
    });
  });

  it('gives up connecting after connectTimeoutMs (a TLS handshake nobody answers)', async () => {
    const port = await rawServe(() => undefined);
    await expect(
      MllpClient.connect({ port, tls: { rejectUnauthorized: true }, connectTimeoutMs: 100 }),
    ).rejects.toMatchObject({ code: MllpErrorCode.CONNECT_FAILED, details: { reason: 'timeout' } });
  });

  it('close() ends the connection after the pending response arrived', async () => {
    const client = await connect(
      await serve(async (p) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return `ACK|${p}`;
      }),
    );
    const answer = client.send('m');
    await client.close();
    expect((await answer).toString()).toBe('ACK|m');
    expect(client.connected).toBe(false);
    await client.close();
  });

  it('close() gives up on a receiver that never closes its side', async () => {
    const port = await rawServe(() => undefined, true);
    const client = await connect(port);
    const pending = client.send('m').catch((err: unknown) => err);
    const before = Date.now();
    await client.close({ timeoutMs: 100 });
    expect(Date.now() - before).toBeLessThan(1000);
    expect(await pending).toMatchObject({ code: MllpErrorCode.CLOSED });
  });

  it('rejects invalid arguments with INVALID_OPTIONS', async () => {
    await expect(MllpClient.connect({ port: 0 })).rejects.toMatchObject({
      code: MllpErrorCode.INVALID_OPTIONS,
    });
    const client = await connect(await serve(() => 'ok'));
    await expect(client.sendExpecting('m', 0)).rejects.toMatchObject({
      code: MllpErrorCode.INVALID_OPTIONS,
    });
  });
});
