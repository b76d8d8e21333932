import net, { type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';
import { MllpError, MllpErrorCode } from './mllp-error.js';
import { MllpServerConnection } from './mllp-server-connection.js';
import {
  resolveMllpServerOptions,
  type MllpConnectionInfo,
  type MllpServerOptions,
  type ResolvedMllpServerOptions,
} from './mllp-server-options.js';
import { emptyMllpServerStats, type MllpServerStats } from './mllp-server-stats.js';

/** Where a server listens. */
export interface MllpServerAddress {
  host: string;
  port: number;
}

type ServerState = 'created' | 'listening' | 'closing' | 'closed';

/**
 * An MLLP listener (HL7 v2 over TCP or TLS). Each frame goes to `options.handler`, strictly in
 * order per connection; what the handler returns is framed and written back. Many connections
 * are served at once. Nothing is acknowledged unless the handler returned it: a handler that
 * throws, a connection that closes, or a shutdown leaves the frame unanswered, so the sender
 * sends it again.
 *
 * ```ts
 * const server = new MllpServer({ port: 2575, handler: async (payload) => commitAndAck(payload) });
 * const { port } = await server.listen();
 * // ...
 * await server.close(); // in-flight messages finish and get their ACK
 * ```
 */
export class MllpServer {
  private readonly options: ResolvedMllpServerOptions;
  private readonly server: net.Server;
  private readonly connections = new Set<MllpServerConnection>();
  /** Every accepted TCP socket, including TLS ones still in their handshake. */
  private readonly sockets = new Set<Socket>();
  private readonly counters = emptyMllpServerStats();
  private state: ServerState = 'created';
  private bound: MllpServerAddress | undefined;
  private closing: Promise<void> | undefined;

  /** Checks the options (throws `CG_ERR_MLLP_INVALID_OPTIONS`); does not listen yet. */
  constructor(options: MllpServerOptions) {
    this.options = resolveMllpServerOptions(options);
    const { tls: tlsOptions, keepAliveInitialDelayMs } = this.options;
    const socketOptions: net.ServerOpts = { allowHalfOpen: true };
    if (tlsOptions) {
      const { requestCert, ...secure } = tlsOptions;
      this.server = tls.createServer({
        ...socketOptions,
        // Half-open during the handshake would keep a socket whose client gave up (a TLS 1.3
        // client rejecting our certificate just sends FIN) until the handshake timeout.
        allowHalfOpen: false,
        ...secure,
        requestCert: requestCert === true,
        rejectUnauthorized: requestCert === true,
      });
      this.server.on('secureConnection', (socket: tls.TLSSocket) => {
        socket.allowHalfOpen = true;
        this.accept(socket);
      });
      this.server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: tls.TLSSocket) => {
        this.counters.tlsErrors++;
        this.options.logger.warn(
          { err, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort },
          'MLLP TLS handshake failed',
        );
        // The listener keeps Node from destroying the socket; with allowHalfOpen it would linger.
        socket.destroy();
      });
    } else {
      this.server = net.createServer(socketOptions);
      this.server.on('connection', (socket: Socket) => this.accept(socket));
    }
    this.server.maxConnections = this.options.maxConnections;
    this.server.on('connection', (socket: Socket) => {
      // On the TCP socket itself, under TLS too. No Nagle delay: ACKs are small and awaited.
      socket.setNoDelay(true);
      if (keepAliveInitialDelayMs !== undefined) socket.setKeepAlive(true, keepAliveInitialDelayMs);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('drop', (data?: net.DropArgument) => {
      this.counters.connectionsRejected++;
      this.options.logger.warn(
        { remoteAddress: data?.remoteAddress, maxConnections: this.options.maxConnections },
        'MLLP connection refused: maxConnections are open',
      );
    });
  }

  /**
   * Starts listening; resolves with the bound address (the real port when `port` was 0).
   * Rejects with `CG_ERR_MLLP_LISTEN_FAILED` (e.g. port in use; the server may listen again) or
   * `CG_ERR_MLLP_SERVER_STATE` (already listening, or closed).
   */
  async listen(): Promise<MllpServerAddress> {
    if (this.state !== 'created')
      throw new MllpError(MllpErrorCode.SERVER_STATE, `The MLLP server is ${this.state}.`, {
        state: this.state,
      });
    const { host, port, logger } = this.options;
    this.state = 'listening';
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen({ host, port }, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.state = 'created';
      const reason = (err as NodeJS.ErrnoException).code ?? 'unknown';
      throw new MllpError(
        MllpErrorCode.LISTEN_FAILED,
        `The MLLP server could not listen on ${host}:${port} (${reason}).`,
        { host, port, reason },
        { cause: err },
      );
    }
    this.server.on('error', (err) => logger.error({ err }, 'MLLP server error'));
    const address = this.server.address() as AddressInfo;
    this.bound = { host: address.address, port: address.port };
    if (!this.options.tls && !isLoopback(address.address))
      logger.warn(
        this.bound,
        'MLLP listener on a non-loopback address without TLS: messages travel unencrypted',
      );
    logger.info({ ...this.bound, tls: this.options.tls !== undefined }, 'MLLP server listening');
    return this.bound;
  }

  /** The bound port once listening (the ephemeral one when `port` was 0), else undefined. */
  get port(): number | undefined {
    return this.bound?.port;
  }

  /** The bound address once listening, else undefined. */
  get address(): MllpServerAddress | undefined {
    return this.bound;
  }

  /** True between a successful `listen()` and `close()`. */
  get listening(): boolean {
    return this.state === 'listening' && this.bound !== undefined;
  }

  /** The connections open now (for an admin view; no PHI). */
  openConnections(): MllpConnectionInfo[] {
    return [...this.connections].map((connection) => connection.info);
  }

  /** A copy of the counters, for metrics. */
  stats(): MllpServerStats {
    return { ...this.counters };
  }

  /**
   * Graceful shutdown: stops accepting connections at once (new ones are refused), lets each
   * running handler finish and write its responses, then ends every connection. Frames not yet
   * handled, and frames that arrive meanwhile, get no ACK (their senders resend them later).
   * After `closeTimeoutMs`, remaining sockets are destroyed and the promise resolves even if a
   * handler is still running (its responses cannot be written any more). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const wasListening = this.state === 'listening';
    this.state = 'closing';
    const serverClosed = wasListening
      ? new Promise<void>((resolve) => this.server.close(() => resolve()))
      : Promise.resolve();
    const open = [...this.connections];
    for (const connection of open) connection.drain();
    const settled = await settleWithin(
      Promise.all(open.map((connection) => connection.closed)),
      this.options.closeTimeoutMs,
    );
    if (!settled) {
      this.options.logger.warn(
        {
          connections: this.connections.size,
          handlersInFlight: this.counters.handlersInFlight,
          closeTimeoutMs: this.options.closeTimeoutMs,
        },
        'MLLP server close timed out: destroying the remaining connections',
      );
      for (const connection of this.connections) connection.destroy();
      await Promise.all([...this.connections].map((connection) => connection.socketClosed));
    }
    // What is left never became a connection of ours: TLS handshakes still under way.
    for (const socket of this.sockets) socket.destroy();
    await serverClosed;
    this.state = 'closed';
    this.options.logger.info({ ...this.bound }, 'MLLP server closed');
  }

  private accept(socket: Socket): void {
    if (this.state !== 'listening') {
      socket.destroy();
      return;
    }
    const connection = new MllpServerConnection(socket, this.options, this.counters);
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
  }
}

/** Resolves true when `promise` settles within `ms`, false otherwise. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}
