import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MllpClient } from './mllp-client.js';
import { MllpErrorCode } from './mllp-error.js';
import { frame, MllpFrameDecoder } from './mllp-framer.js';
import { MllpServer } from './mllp-server.js';
import {
  resolveMllpServerOptions,
  type MllpLogger,
  type MllpServerOptions,
} from './mllp-server-options.js';

const servers: MllpServer[] = [];
const sockets: net.Socket[] = [];
const clients: MllpClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const ack = (payload: Buffer): string => `ACK|${payload.toString('utf8')}`;

async function start(options: Partial<MllpServerOptions> = {}): Promise<MllpServer> {
  const server = new MllpServer({ host: '127.0.0.1', port: 0, handler: ack, ...options });
  servers.push(server);
  await server.listen();
  return server;
}

async function connect(server: MllpServer): Promise<MllpClient> {
  const client = await MllpClient.connect({ port: server.port as number });
  clients.push(client);
  return client;
}

/** A plain TCP socket, to write bytes exactly as a sender would (fragments, garbage, FIN). */
async function rawSocket(server: MllpServer): Promise<RawPeer> {
  const socket = net.connect({ host: '127.0.0.1', port: server.port as number });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve).once('error', reject);
  });
  return new RawPeer(socket);
}

/** Collects what a server sends back on a raw socket. */
class RawPeer {
  readonly frames: string[] = [];
  bytes = 0;
  readonly closed: Promise<void>;
  private readonly decoder = new MllpFrameDecoder();

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      for (const e of this.decoder.push(chunk))
        if (e.type === 'frame') this.frames.push(e.payload.toString('utf8'));
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  async waitFor(count: number, timeoutMs = 1500): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < count) {
      if (Date.now() > deadline) throw new Error(`got ${this.frames.length} of ${count} frames`);
      await sleep(5);
    }
    return this.frames;
  }
}

function recordingLogger(): MllpLogger & { lines: { level: string; msg?: string }[] } {
  const lines: { level: string; msg?: string }[] = [];
  const at =
    (level: string) =>
    (_obj: object, msg?: string): void => {
      lines.push({ level, msg });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('MllpServer', () => {
  it('answers one message with the handler’s ACK and exposes the bound port', async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.address).toEqual({ host: '127.0.0.1', port: server.port });
    const client = await connect(server);
    expect((await client.send('MSH|1')).toString()).toBe('ACK|MSH|1');
    expect(server.stats()).toMatchObject({
      connectionsOpen: 1,
      framesReceived: 1,
      framesHandled: 1,
      responsesWritten: 1,
      bytesReceived: 8,
      bytesSent: 12,
    });
    expect(server.openConnections()).toEqual([
      expect.objectContaining({ id: expect.any(String), remoteAddress: '127.0.0.1' }),
    ]);
  });

  it('passes the connection and the frame’s sequence to the handler', async () => {
    const seen: unknown[] = [];
    const server = await start({
      handler: (payload, { connection, sequence }) => {
        seen.push({ sequence, remoteAddress: connection.remoteAddress, tls: connection.tls });
        return ack(payload);
      },
    });
    const client = await connect(server);
    await client.send('a');
    await client.send('b');
    expect(seen).toEqual([
      { sequence: 1, remoteAddress: '127.0.0.1', tls: undefined },
      { sequence: 2, remoteAddress: '127.0.0.1', tls: undefined },
    ]);
  });

  it('reassembles a message written byte by byte, after garbage, with pauses', async () => {
    const server = await start();
    const peer = await rawSocket(server);
    const bytes = Buffer.concat([Buffer.from('\r\n'), frame('MSH|^~\\&|FRAG|1'), frame('MSH|2')]);
    for (const byte of bytes) {
      peer.socket.write(Buffer.of(byte));
      await sleep(1);
    }
    expect(await peer.waitFor(2)).toEqual(['ACK|MSH|^~\\&|FRAG|1', 'ACK|MSH|2']);
    expect(server.stats()).toMatchObject({ garbageBytes: 2, framesHandled: 2 });
  });

  it('answers frames coalesced in one write in order, one handler at a time', async () => {
    let running = 0;
    const writtenBefore: number[] = [];
    const server: MllpServer = await start({
      handler: async (payload) => {
        running++;
        expect(running).toBe(1);
        writtenBefore.push(server.stats().responsesWritten);
        await sleep(payload.toString() === 'm0' ? 30 : 1);
        running--;
        return ack(payload);
      },
    });
    const peer = await rawSocket(server);
    const messages = Array.from({ length: 5 }, (_, i) => `m${i}`);
    peer.socket.write(Buffer.concat(messages.map((m) => frame(m))));
    expect(await peer.waitFor(5)).toEqual(messages.map((m) => `ACK|${m}`));
    // Frame N+1 is handled only after frame N's response was written.
    expect(writtenBefore).toEqual([0, 1, 2, 3, 4]);
  });

  it('serves 50 concurrent connections of 20 messages each', async () => {
    const server = await start();
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, c) => {
        const client = await connect(server);
        const answers: string[] = [];
        for (let m = 0; m < 20; m++) answers.push((await client.send(`c${c}-m${m}`)).toString());
        return answers;
      }),
    );
    results.forEach((answers, c) =>
      expect(answers).toEqual(Array.from({ length: 20 }, (_, m) => `ACK|c${c}-m${m}`)),
    );
    expect(server.stats()).toMatchObject({ connectionsTotal: 50, framesHandled: 1000 });
  });

  it('writes every reply() and then the returned responses, in order', async () => {
    const server = await start({
      handler: async (payload, { reply }) => {
        await reply(`CA|${payload}`);
        return [`AA|${payload}`, Buffer.from('extra')];
      },
    });
    const client = await connect(server);
    const answers = await client.sendExpecting('m1', 3);
    expect(answers.map(String)).toEqual(['CA|m1', 'AA|m1', 'extra']);
  });

  it('writes nothing when the handler returns null, and goes on with the next frame', async () => {
    const server = await start({ handler: (p) => (p.toString() === 'skip' ? null : ack(p)) });
    const peer = await rawSocket(server);
    peer.socket.write(Buffer.concat([frame('skip'), frame('next')]));
    expect(await peer.waitFor(1)).toEqual(['ACK|next']);
  });

  it('answers an oversize message with onOversize and serves the next message', async () => {
    const oversize: { prefix: string; size: number; sequence: number }[] = [];
    const server = await start({
      maxMessageBytes: 100,
      oversizePrefixBytes: 16,
      onOversize: (prefix, { size, sequence }) => {
        oversize.push({ prefix: prefix.toString(), size, sequence });
        return 'NAK|too big';
      },
    });
    const client = await connect(server);
    const big = 'MSH|^~\\&|BIG|' + 'x'.repeat(10_000);
    expect((await client.send(big)).toString()).toBe('NAK|too big');
    expect((await client.send('MSH|small')).toString()).toBe('ACK|MSH|small');
    expect(oversize).toEqual([{ prefix: big.slice(0, 16), size: big.length, sequence: 1 }]);
    expect(server.stats()).toMatchObject({ oversizeFrames: 1, framesReceived: 1 });
  });

  it('closes the connection unanswered on an oversize message without onOversize', async () => {
    const server = await start({ maxMessageBytes: 10 });
    const peer = await rawSocket(server);
    peer.socket.write(Buffer.concat([frame('0123456789ABC'), frame('next')]));
    await peer.closed;
    expect(peer.bytes).toBe(0);
    expect(server.stats()).toMatchObject({ oversizeFrames: 1, framesHandled: 0 });
  });

  it('closes the connection without an ACK when the handler throws', async () => {
    const logger = recordingLogger();
    const calls: string[] = [];
    const server = await start({
      logger,
      handler: (payload) => {
        calls.push(payload.toString());
        if (payload.toString() === 'bad') throw new Error('commit failed');
        return ack(payload);
      },
    });
    const peer = await rawSocket(server);
    peer.socket.write(Buffer.concat([frame('ok'), frame('bad'), frame('after')]));
    await peer.closed;
    expect(peer.frames).toEqual(['ACK|ok']);
    expect(calls).toEqual(['ok', 'bad']);
    expect(server.stats()).toMatchObject({ handlerErrors: 1, framesHandled: 1, framesDropped: 1 });
    expect(logger.lines).toContainEqual({
      level: 'error',
      msg: 'MLLP handler failed: closing the connection without an acknowledgement',
    });
    // The server keeps serving other connections.
    expect((await (await connect(server)).send('ok2')).toString()).toBe('ACK|ok2');
  });

  it('treats a response that is not a Buffer or string as a handler error', async () => {
    const server = await start({ handler: () => 42 as unknown as string });
    const peer = await rawSocket(server);
    peer.socket.write(frame('m'));
    await peer.closed;
    expect(peer.bytes).toBe(0);
    expect(server.stats()).toMatchObject({ handlerErrors: 1, responsesWritten: 0 });
  });

  it('closes a connection whose peer stops reading its acknowledgements', async () => {
    const server = await start({
      idleTimeoutMs: 200,
      handler: () => Buffer.alloc(32 * 1024 * 1024),
    });
    const peer = await rawSocket(server);
    peer.socket.pause();
    peer.socket.write(frame('m'));
    // The paused peer would not notice the close: watch the server's side.
    const deadline = Date.now() + 1500;
    while (server.stats().connectionsOpen > 0 && Date.now() < deadline) await sleep(10);
    expect(server.stats()).toMatchObject({
      connectionsOpen: 0,
      idleTimeouts: 1,
      responsesWritten: 0,
    });
  });

  it('still answers a sender that ends its write side after sending (half-close)', async () => {
    const server = await start({
      handler: async (p) => {
        await sleep(20);
        return ack(p);
      },
    });
    const peer = await rawSocket(server);
    peer.socket.end(Buffer.concat([frame('one'), frame('two')]));
    await peer.closed;
    expect(peer.frames).toEqual(['ACK|one', 'ACK|two']);
  });

  it('closes an idle connection after idleTimeoutMs, but not one waiting for its handler', async () => {
    const server = await start({
      idleTimeoutMs: 100,
      handler: async (p) => {
        await sleep(250);
        return ack(p);
      },
    });
    const idle = await rawSocket(server);
    const busy = await rawSocket(server);
    busy.socket.write(frame('slow'));
    const started = Date.now();
    await idle.closed;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await busy.waitFor(1)).toEqual(['ACK|slow']);
    await busy.closed; // idle again after its ACK
    expect(server.stats().idleTimeouts).toBe(2);
  });

  it('refuses connections over maxConnections', async () => {
    const server = await start({ maxConnections: 2 });
    await connect(server);
    await connect(server);
    const third = await rawSocket(server);
    await third.closed;
    expect(server.stats()).toMatchObject({ connectionsRejected: 1, connectionsOpen: 2 });
  });

  it('rejects invalid options and a port in use with coded errors', async () => {
    expect(() => new MllpServer({ port: 70_000, handler: ack })).toThrow(
      expect.objectContaining({ code: MllpErrorCode.INVALID_OPTIONS }),
    );
    expect(() => new MllpServer({ handler: ack, maxMessageBytes: 0 })).toThrow(
      expect.objectContaining({ code: MllpErrorCode.INVALID_OPTIONS }),
    );
    const server = await start();
    const clash = new MllpServer({ host: '127.0.0.1', port: server.port, handler: ack });
    servers.push(clash);
    await expect(clash.listen()).rejects.toMatchObject({
      code: MllpErrorCode.LISTEN_FAILED,
      details: { reason: 'EADDRINUSE' },
    });
    await expect(server.listen()).rejects.toMatchObject({ code: MllpErrorCode.SERVER_STATE });
  });

  it('binds to 127.0.0.1 and port 2575 by default', () => {
    expect(resolveMllpServerOptions({ handler: ack })).toMatchObject({
      host: '127.0.0.1',
      port: 2575,
      maxMessageBytes: 1024 * 1024,
      oversizePrefixBytes: 4096,
      idleTimeoutMs: 300_000,
      keepAliveInitialDelayMs: 60_000,
    });
  });
});
