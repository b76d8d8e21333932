import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { MllpError } from './mllp-error.js';
import { frame, MllpFrameDecoder } from './mllp-framer.js';
import type {
  MllpConnectionInfo,
  MllpFrameContext,
  MllpResponse,
  MllpTlsInfo,
  ResolvedMllpServerOptions,
} from './mllp-server-options.js';
import type { MllpServerStats } from './mllp-server-stats.js';

/** After our FIN, how long the peer has to close its side before the socket is destroyed. */
const END_GRACE_MS = 2000;

type QueuedFrame =
  | { kind: 'frame'; payload: Buffer; receivedAt: Date }
  | { kind: 'oversize'; prefix: Buffer; size: number; receivedAt: Date };

/**
 * One accepted connection of an MllpServer: decodes its frames and hands them to the handler one
 * at a time, in order. The socket is paused while a handler runs, so a pipelining sender is held
 * back by TCP flow control instead of filling memory. Internal to the server.
 */
export class MllpServerConnection {
  readonly info: MllpConnectionInfo;
  /** Resolves once the socket is closed and no handler of this connection is running. */
  readonly closed: Promise<void>;
  /** Resolves once the socket is closed (a handler may still be running). */
  readonly socketClosed: Promise<void>;

  private readonly decoder: MllpFrameDecoder;
  private readonly abort = new AbortController();
  private readonly logFields: Record<string, unknown>;
  private queue: QueuedFrame[] = [];
  private busy = false;
  /** The running frame's responses are being written (a peer that stops reading stalls here). */
  private writing = false;
  /** No further frame is handled (server closing, handler failed, idle, unanswered oversize). */
  private draining = false;
  private peerEnded = false;
  private ending = false;
  private isSocketClosed = false;
  private sequence = 0;
  private endTimer: NodeJS.Timeout | undefined;
  private resolveClosed!: () => void;
  private resolveSocketClosed!: () => void;

  constructor(
    private readonly socket: Socket,
    private readonly options: ResolvedMllpServerOptions,
    private readonly stats: MllpServerStats,
  ) {
    this.info = connectionInfo(socket);
    this.logFields = {
      connectionId: this.info.id,
      remoteAddress: this.info.remoteAddress,
      remotePort: this.info.remotePort,
    };
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.socketClosed = new Promise((resolve) => (this.resolveSocketClosed = resolve));
    this.decoder = new MllpFrameDecoder(options);
    stats.connectionsOpen++;
    stats.connectionsTotal++;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onPeerEnd());
    socket.on('timeout', () => this.onIdle());
    socket.on('error', (err: NodeJS.ErrnoException) => this.onError(err));
    socket.on('close', () => this.onClose());
    if (options.idleTimeoutMs > 0) socket.setTimeout(options.idleTimeoutMs);
    options.logger.info({ ...this.logFields, tls: this.info.tls }, 'MLLP connection opened');
  }

  /**
   * Stops handling frames (server shutdown): the handler running now finishes and its responses
   * are written, then the connection is ended. Frames not yet handled get no ACK.
   */
  drain(): void {
    this.stopHandling();
    if (!this.busy) this.endSocket();
  }

  /** Closes the socket at once (shutdown timed out). */
  destroy(): void {
    this.socket.destroy();
  }

  /** Writes one framed payload; resolves once it is handed to the OS. */
  write(payload: Buffer | string): Promise<void> {
    if (this.isSocketClosed || this.socket.destroyed || !this.socket.writable)
      return Promise.reject(MllpError.notConnected());
    const bytes = frame(payload);
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => {
        if (err) return reject(MllpError.closed(err));
        this.stats.bytesSent += bytes.length;
        this.stats.responsesWritten++;
        resolve();
      });
    });
  }

  private onData(chunk: Buffer): void {
    this.stats.bytesReceived += chunk.length;
    const receivedAt = new Date();
    for (const event of this.decoder.push(chunk)) {
      switch (event.type) {
        case 'garbage':
          this.stats.garbageBytes += event.bytes;
          this.options.logger.debug(
            { ...this.logFields, bytes: event.bytes },
            'MLLP bytes outside a frame discarded',
          );
          break;
        case 'restart':
          this.stats.frameRestarts++;
          this.options.logger.warn(
            { ...this.logFields, discarded: event.discarded },
            'MLLP start block inside a frame: the unfinished frame was discarded',
          );
          break;
        case 'frame':
          this.stats.framesReceived++;
          this.enqueue({ kind: 'frame', payload: event.payload, receivedAt });
          break;
        case 'oversize':
          this.stats.oversizeFrames++;
          this.options.logger.warn(
            { ...this.logFields, size: event.size, maxMessageBytes: this.options.maxMessageBytes },
            'MLLP frame over the size limit',
          );
          this.enqueue({ kind: 'oversize', prefix: event.prefix, size: event.size, receivedAt });
          break;
      }
    }
    if (this.queue.length > 0) void this.pump();
  }

  private enqueue(item: QueuedFrame): void {
    if (this.draining) this.stats.framesDropped++;
    else this.queue.push(item);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.socket.pause();
    try {
      while (!this.draining && this.queue.length > 0) {
        const item = this.queue.shift() as QueuedFrame;
        if (!(await this.handle(item))) this.stopHandling();
      }
    } catch (err) {
      this.options.logger.error({ ...this.logFields, err }, 'MLLP connection failed');
      this.stopHandling();
    } finally {
      this.busy = false;
    }
    if (this.draining || this.peerEnded) this.endSocket();
    else if (!this.isSocketClosed) {
      this.socket.resume();
      if (this.options.idleTimeoutMs > 0) this.socket.setTimeout(this.options.idleTimeoutMs);
    }
    if (this.isSocketClosed) this.resolveClosed();
  }

  /** Runs the handler of one frame and writes its responses; false when the connection must end. */
  private async handle(item: QueuedFrame): Promise<boolean> {
    const sequence = ++this.sequence;
    const context: MllpFrameContext = {
      connection: this.info,
      sequence,
      receivedAt: item.receivedAt,
      reply: (payload) => this.write(payload),
      signal: this.abort.signal,
    };
    let payloads: readonly (Buffer | string)[];
    this.stats.handlersInFlight++;
    try {
      if (item.kind === 'frame') {
        payloads = responsePayloads(await this.options.handler(item.payload, context));
      } else if (this.options.onOversize) {
        payloads = responsePayloads(
          await this.options.onOversize(item.prefix, { ...context, size: item.size }),
        );
      } else {
        this.options.logger.warn(
          { ...this.logFields, sequence },
          'MLLP oversize frame and no onOversize handler: closing the connection unanswered',
        );
        return false;
      }
    } catch (err) {
      this.stats.handlerErrors++;
      this.options.logger.error(
        { ...this.logFields, sequence, err },
        'MLLP handler failed: closing the connection without an acknowledgement',
      );
      return false;
    } finally {
      this.stats.handlersInFlight--;
    }
    this.writing = true;
    try {
      for (const payload of payloads) await this.write(payload);
    } catch (err) {
      this.options.logger.warn(
        { ...this.logFields, sequence, err },
        'MLLP response not delivered: the connection is gone (the sender will resend)',
      );
      return false;
    } finally {
      this.writing = false;
    }
    this.stats.framesHandled++;
    return true;
  }

  private stopHandling(): void {
    this.draining = true;
    this.stats.framesDropped += this.queue.length;
    this.queue = [];
  }

  /** Sends FIN once the handler is done; reads and drops whatever still arrives (no RST). */
  private endSocket(): void {
    if (this.ending || this.isSocketClosed) return;
    this.ending = true;
    this.socket.setTimeout(0);
    this.socket.resume();
    this.socket.end();
    this.endTimer = setTimeout(() => this.socket.destroy(), END_GRACE_MS);
    this.endTimer.unref();
  }

  private onPeerEnd(): void {
    this.peerEnded = true;
    this.countTruncated();
    // Frames read before the FIN are still handled and answered (allowHalfOpen); then we end.
    if (!this.busy) this.endSocket();
  }

  private onIdle(): void {
    if (this.writing) {
      // Our response has not drained for idleTimeoutMs: the peer stopped reading.
      this.stats.idleTimeouts++;
      this.options.logger.warn(
        { ...this.logFields, idleTimeoutMs: this.options.idleTimeoutMs },
        'MLLP peer does not read its acknowledgements: closing the connection',
      );
      this.socket.destroy();
      return;
    }
    // A slow handler is not idleness of the peer: the timer is armed again after it.
    if (this.busy || this.ending) return;
    this.stats.idleTimeouts++;
    this.options.logger.info(
      { ...this.logFields, idleTimeoutMs: this.options.idleTimeoutMs },
      'MLLP connection idle: closing it',
    );
    this.stopHandling();
    this.countTruncated();
    this.endSocket();
  }

  private countTruncated(): void {
    const lost = this.decoder.end();
    if (lost === 0) return;
    this.stats.truncatedFrames++;
    this.options.logger.info(
      { ...this.logFields, bytes: lost },
      'MLLP connection ended inside a frame: the unfinished frame was discarded',
    );
  }

  private onError(err: NodeJS.ErrnoException): void {
    const expected = err.code === 'ECONNRESET' || err.code === 'EPIPE';
    this.options.logger[expected ? 'debug' : 'warn'](
      { ...this.logFields, err },
      'MLLP connection error',
    );
  }

  private onClose(): void {
    this.isSocketClosed = true;
    this.resolveSocketClosed();
    clearTimeout(this.endTimer);
    this.abort.abort();
    this.stopHandling();
    this.stats.connectionsOpen--;
    this.options.logger.info(
      { ...this.logFields, frames: this.sequence, durationMs: Date.now() - +this.info.openedAt },
      'MLLP connection closed',
    );
    if (!this.busy) this.resolveClosed();
  }
}

/** The payloads of a handler's answer; anything else is a handler error (no ACK is written). */
function responsePayloads(response: MllpResponse): readonly (Buffer | string)[] {
  if (response === null || response === undefined) return [];
  const payloads =
    typeof response === 'string' || Buffer.isBuffer(response) ? [response] : response;
  if (
    !Array.isArray(payloads) ||
    !payloads.every((p) => typeof p === 'string' || Buffer.isBuffer(p))
  )
    throw new TypeError(
      'An MLLP handler must return a Buffer, a string, an array of them, or null.',
    );
  return payloads;
}

function connectionInfo(socket: Socket): MllpConnectionInfo {
  return {
    id: randomUUID(),
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    localPort: socket.localPort,
    openedAt: new Date(),
    tls: socket instanceof TLSSocket ? tlsInfo(socket) : undefined,
  };
}

function tlsInfo(socket: TLSSocket): MllpTlsInfo {
  const peer = socket.getPeerCertificate();
  const cn = peer?.subject?.CN;
  return {
    protocol: socket.getProtocol(),
    authorized: socket.authorized,
    peerSubject: Array.isArray(cn) ? cn.join(',') : cn || undefined,
    peerFingerprint256: peer?.fingerprint256 || undefined,
  };
}
