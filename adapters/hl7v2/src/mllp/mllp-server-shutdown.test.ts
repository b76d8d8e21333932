import { setTimeout as sleep } from 'node:timers/promises';
import { MllpClient } from './mllp-client.js';
import { MllpErrorCode } from './mllp-error.js';
import { MllpServer } from './mllp-server.js';
import type { MllpServerOptions } from './mllp-server-options.js';

const servers: MllpServer[] = [];
const clients: MllpClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Partial<MllpServerOptions>): Promise<MllpServer> {
  const server = new MllpServer({
    host: '127.0.0.1',
    port: 0,
    handler: (p) => `ACK|${p}`,
    ...options,
  });
  servers.push(server);
  await server.listen();
  return server;
}

async function connect(port: number): Promise<MllpClient> {
  const client = await MllpClient.connect({ port });
  clients.push(client);
  return client;
}

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('MllpServer.close', () => {
  it('lets the in-flight handler finish and deliver its ACK, drops queued frames, refuses new connections', async () => {
    const started = gate();
    const handled: string[] = [];
    const server = await start({
      handler: async (payload) => {
        handled.push(payload.toString());
        started.open();
        await sleep(200);
        return `ACK|${payload}`;
      },
    });
    const port = server.port as number;
    const client = await connect(port);
    const first = client.send('in-flight');
    const second = client.send('queued').catch((err: unknown) => err);
    await started.opened;

    const closing = server.close();
    // The listening socket is closed at once.
    await expect(MllpClient.connect({ port })).rejects.toMatchObject({
      code: MllpErrorCode.CONNECT_FAILED,
      details: { reason: 'ECONNREFUSED' },
    });
    expect((await first).toString()).toBe('ACK|in-flight');
    expect(await second).toMatchObject({ code: MllpErrorCode.CLOSED });
    await closing;
    expect(handled).toEqual(['in-flight']);
    expect(server.stats()).toMatchObject({
      framesHandled: 1,
      framesDropped: 1,
      connectionsOpen: 0,
    });
    expect(server.listening).toBe(false);
  });

  it('does not handle frames that arrive after close started', async () => {
    const started = gate();
    const handled: string[] = [];
    const server = await start({
      handler: async (payload) => {
        handled.push(payload.toString());
        started.open();
        await sleep(150);
        return `ACK|${payload}`;
      },
    });
    const client = await connect(server.port as number);
    const first = client.send('first');
    await started.opened;
    const closing = server.close();
    const late = client.send('late').catch((err: unknown) => err);
    expect((await first).toString()).toBe('ACK|first');
    expect(await late).toMatchObject({ code: MllpErrorCode.CLOSED });
    await closing;
    expect(handled).toEqual(['first']);
  });

  it('ends idle connections at once', async () => {
    const server = await start({});
    const client = await connect(server.port as number);
    expect((await client.send('m')).toString()).toBe('ACK|m');
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(500);
    await expect(client.send('after')).rejects.toMatchObject({
      code: expect.stringMatching(/^CG_ERR_MLLP_(NOT_CONNECTED|CLOSED)$/),
    });
  });

  it('destroys connections whose handler outlives closeTimeoutMs, and aborts its signal', async () => {
    const started = gate();
    let aborted = false;
    const server = await start({
      closeTimeoutMs: 100,
      handler: async (_payload, { signal }) => {
        started.open();
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        aborted = true;
        return 'too late';
      },
    });
    const client = await connect(server.port as number);
    const pending = client.send('stuck').catch((err: unknown) => err);
    await started.opened;
    const before = Date.now();
    await server.close();
    expect(Date.now() - before).toBeLessThan(1000);
    expect(await pending).toMatchObject({ code: MllpErrorCode.CLOSED });
    expect(aborted).toBe(true);
    expect(server.stats().framesHandled).toBe(0);
  });

  it('is idempotent, and a closed server cannot listen again', async () => {
    const server = await start({});
    const [a, b] = [server.close(), server.close()];
    expect(a).toBe(b);
    await a;
    await expect(server.listen()).rejects.toMatchObject({ code: MllpErrorCode.SERVER_STATE });
    // Closing a server that never listened resolves too.
    await new MllpServer({ port: 0, handler: () => null }).close();
  });
});
