import net from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
import { MllpError } from './mllp-error.js';
import { DEFAULT_MAX_MESSAGE_BYTES, frame, MllpFrameDecoder } from './mllp-framer.js';
import { silentMllpLogger, type MllpLogger } from './mllp-server-options.js';

/** TLS settings of a client: `ca` to trust the server, `cert`/`key` for mutual TLS. */
export type MllpClientTlsOptions = Pick<
  ConnectionOptions,
  'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'servername' | 'rejectUnauthorized' | 'minVersion'
>;

/** Options of {@link MllpClient.connect}. */
export interface MllpClientOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  port: number;
  /** Connect with TLS; plain TCP when absent. */
  tls?: MllpClientTlsOptions;
  /** Give up connecting (and the TLS handshake) after this long (default 10 s). */
  connectTimeoutMs?: number;
  /** Largest response accepted (default 1 MiB); a larger one fails its send with OVERSIZE. */
  maxMessageBytes?: number;
  /** TCP keep-alive (default on, first probe after 60 s; `false` = off). */
  keepAlive?: boolean | { initialDelayMs: number };
  logger?: MllpLogger;
}

/** Options of one {@link MllpClient.send}. */
export interface MllpSendOptions {
  /** Fail with `CG_ERR_MLLP_TIMEOUT` (and close the connection) after this long; default 30 s. */
  timeoutMs?: number;
}

interface PendingSend {
  expected: number;
  received: Buffer[];
  resolve(frames: Buffer[]): void;
  reject(err: MllpError): void;
  timer: NodeJS.Timeout;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/**
 * An MLLP connection to a receiver: `send` writes a framed message and resolves with the frame(s)
 * that come back. Sends may be pipelined: responses are matched to sends in order (MLLP has no
 * other correlation; the transport does not parse HL7). A timeout therefore closes the
 * connection, since a late response could not be told apart from the next one; every other
 * pending send then fails with `CG_ERR_MLLP_CLOSED`. Reconnecting is the caller's job.
 */
export class MllpClient {
  private readonly pending: PendingSend[] = [];
  private readonly decoder: MllpFrameDecoder;
  private closeError: unknown;
  private isClosed = false;
  private readonly closedPromise: Promise<void>;

  private constructor(
    private readonly socket: net.Socket,
    options: MllpClientOptions,
    private readonly logger: MllpLogger,
  ) {
    this.decoder = new MllpFrameDecoder({
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.closeError = err;
      this.logger.debug({ err }, 'MLLP client connection error');
    });
    this.closedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.failPending(MllpError.closed(this.closeError));
        resolve();
      }),
    );
  }

  /**
   * Opens a connection (and completes the TLS handshake). Rejects with
   * `CG_ERR_MLLP_CONNECT_FAILED` (`details.reason`: `ECONNREFUSED`, `timeout`, a TLS error code;
   * `details.tlsHandshake`: the TCP connection was open and the TLS handshake failed).
   */
  static connect(options: MllpClientOptions): Promise<MllpClient> {
    const host = options.host ?? '127.0.0.1';
    const { port } = options;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      return Promise.reject(MllpError.invalidOption('port', 'an integer from 1 to 65535'));
    const keepAlive = options.keepAlive ?? true;
    const base = {
      host,
      port,
      noDelay: true,
      keepAlive: keepAlive !== false,
      keepAliveInitialDelay: typeof keepAlive === 'object' ? keepAlive.initialDelayMs : 60_000,
    };
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const logger = options.logger ?? silentMllpLogger;
    return new Promise((resolve, reject) => {
      const socket = options.tls ? tls.connect({ ...base, ...options.tls }) : net.connect(base);
      // Past the TCP connect, a TLS connection that fails is a failed handshake (details.tls).
      let tcpConnected = false;
      socket.once('connect', () => (tcpConnected = true));
      const failed = (reason: string, cause?: unknown) =>
        MllpError.connectFailed(host, port, reason, cause, Boolean(options.tls) && tcpConnected);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(failed('timeout'));
      }, timeoutMs);
      const onError = (err: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(failed(err.code ?? 'unknown', err));
      };
      socket.once('error', onError);
      socket.once(options.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new MllpClient(socket, options, logger));
      });
    });
  }

  /** True until the connection closes. */
  get connected(): boolean {
    return !this.isClosed && !this.socket.destroyed;
  }

  /** Sends awaiting their response. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Writes `payload` as one frame (a string as UTF-8) and resolves with the next response frame
   * not claimed by an earlier send (the ACK). Rejects with `CG_ERR_MLLP_TIMEOUT`,
   * `CG_ERR_MLLP_CLOSED`, `CG_ERR_MLLP_NOT_CONNECTED` or `CG_ERR_MLLP_OVERSIZE`.
   */
  async send(payload: Buffer | string, options: MllpSendOptions = {}): Promise<Buffer> {
    const [response] = await this.sendExpecting(payload, 1, options);
    return response as Buffer;
  }

  /**
   * Like `send`, for a receiver that answers with `count` frames (enhanced acknowledgement mode:
   * the commit ACK, then the application ACK on the same connection); resolves with all of them.
   */
  sendExpecting(
    payload: Buffer | string,
    count: number,
    options: MllpSendOptions = {},
  ): Promise<Buffer[]> {
    if (!Number.isInteger(count) || count < 1)
      return Promise.reject(MllpError.invalidOption('count', 'an integer >= 1'));
    if (!this.connected || !this.socket.writable) return Promise.reject(MllpError.notConnected());
    const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const entry: PendingSend = {
        expected: count,
        received: [],
        resolve,
        reject,
        timer: setTimeout(() => this.onTimeout(entry, timeoutMs), timeoutMs),
      };
      this.pending.push(entry);
      this.socket.write(frame(payload));
    });
  }

  /**
   * Writes `payload` as one frame that gets no response (an acknowledgement: HL7 does not
   * acknowledge ACKs) and resolves once it is handed to the OS. Rejects with
   * `CG_ERR_MLLP_NOT_CONNECTED` or `CG_ERR_MLLP_CLOSED`.
   */
  write(payload: Buffer | string): Promise<void> {
    if (!this.connected || !this.socket.writable) return Promise.reject(MllpError.notConnected());
    return new Promise((resolve, reject) => {
      this.socket.write(frame(payload), (err) => (err ? reject(MllpError.closed(err)) : resolve()));
    });
  }

  /**
   * Ends our side of the connection; responses still pending can arrive until the receiver
   * closes its side. After `timeoutMs` (default 10 s) the socket is destroyed and what is still
   * pending fails with `CG_ERR_MLLP_CLOSED`. Idempotent.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.isClosed) return;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), options.timeoutMs ?? 10_000);
    try {
      await this.closedPromise;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the connection at once; pending sends fail with `CG_ERR_MLLP_CLOSED`. */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    for (const event of this.decoder.push(chunk)) {
      if (event.type === 'garbage' || event.type === 'restart') {
        this.logger.debug({ event }, 'MLLP client discarded bytes');
        continue;
      }
      const head = this.pending[0];
      if (!head) {
        this.logger.warn(
          { type: event.type },
          'MLLP client received a frame no send was waiting for: dropped',
        );
        continue;
      }
      if (event.type === 'oversize') {
        this.settle(head);
        head.reject(MllpError.oversize(event.size, this.decoder.maxMessageBytes));
        continue;
      }
      head.received.push(event.payload);
      if (head.received.length === head.expected) {
        this.settle(head);
        head.resolve(head.received);
      }
    }
  }

  private onTimeout(entry: PendingSend, timeoutMs: number): void {
    this.settle(entry);
    entry.reject(MllpError.timeout(timeoutMs));
    this.socket.destroy();
  }

  private settle(entry: PendingSend): void {
    clearTimeout(entry.timer);
    const index = this.pending.indexOf(entry);
    if (index !== -1) this.pending.splice(index, 1);
  }

  private failPending(err: MllpError): void {
    for (const entry of this.pending.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(err);
    }
  }
}
