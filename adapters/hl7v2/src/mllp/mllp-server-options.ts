import type { PluginLogger } from '@caregraph/plugin-sdk';
import type { TlsOptions } from 'node:tls';
import { MllpError } from './mllp-error.js';
import { DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_OVERSIZE_PREFIX_BYTES } from './mllp-framer.js';

/** A pino-shaped logger; the transport never logs message content, only sizes and peers. */
export type MllpLogger = PluginLogger;

/**
 * What a handler answers: one payload, several (written in order, e.g. an enhanced-mode commit
 * ACK then the application ACK), or `null`/`undefined` for nothing to write. The server frames
 * each payload; a string is written as UTF-8.
 */
export type MllpResponse = Buffer | string | readonly (Buffer | string)[] | null | undefined;

/** The TLS side of a connection (present only on TLS listeners). */
export interface MllpTlsInfo {
  /** Negotiated protocol, e.g. `TLSv1.3`. */
  protocol: string | null;
  /** The peer presented a certificate that chains to `ca` (always true under mutual TLS). */
  authorized: boolean;
  /** The peer certificate's subject CN, under mutual TLS. */
  peerSubject?: string;
  /** The peer certificate's SHA-256 fingerprint, under mutual TLS. */
  peerFingerprint256?: string;
}

/** Who is on the other end of a connection (no PHI: safe to log). */
export interface MllpConnectionInfo {
  /** Unique id of the connection, for logs and correlation. */
  readonly id: string;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly localPort?: number;
  readonly openedAt: Date;
  readonly tls?: MllpTlsInfo;
}

/** Passed to a handler with each frame. */
export interface MllpFrameContext {
  readonly connection: MllpConnectionInfo;
  /** 1-based number of the frame on its connection (oversize frames count too). */
  readonly sequence: number;
  /** When the frame's last byte was read. */
  readonly receivedAt: Date;
  /**
   * Writes one framed response now, before the handler returns (an enhanced-mode commit ACK
   * ahead of the application ACK). May be called several times, and after the handler returned.
   * Resolves once the bytes are handed to the OS; rejects with `CG_ERR_MLLP_NOT_CONNECTED` or
   * `CG_ERR_MLLP_CLOSED` when the connection is gone.
   */
  reply(payload: Buffer | string): Promise<void>;
  /** Aborted when the connection closes: nothing can be written to it any more. */
  readonly signal: AbortSignal;
}

/** Passed to `onOversize`: the context plus the full size of the rejected payload. */
export interface MllpOversizeContext extends MllpFrameContext {
  /** Payload bytes of the frame (more than `maxMessageBytes`). */
  readonly size: number;
}

/**
 * Handles one frame and returns the response(s) to write. Frames of a connection are handled
 * strictly one after another: frame N+1 only once frame N's responses were written. The handler
 * must commit before it returns an accepting ACK; if it throws, no ACK is written and the
 * connection is closed, so the sender retries.
 */
export type MllpFrameHandler = (
  payload: Buffer,
  context: MllpFrameContext,
) => MllpResponse | Promise<MllpResponse>;

/** Answers a frame over `maxMessageBytes` (typically a NAK built from the MSH in `prefix`). */
export type MllpOversizeHandler = (
  prefix: Buffer,
  context: MllpOversizeContext,
) => MllpResponse | Promise<MllpResponse>;

/** TLS settings of a listener. With `requestCert`, clients must present a certificate signed by `ca`. */
export interface MllpServerTlsOptions extends Pick<
  TlsOptions,
  'key' | 'cert' | 'ca' | 'pfx' | 'passphrase' | 'crl' | 'ciphers' | 'minVersion'
> {
  /** Mutual TLS: require and verify a client certificate (connections without one are refused). */
  requestCert?: boolean;
}

/** Options of {@link MllpServer}. */
export interface MllpServerOptions {
  /**
   * Address to bind. Default `127.0.0.1` (loopback only): a PHI listener is not exposed unless
   * configured; set `0.0.0.0` (or `::`) for senders on other hosts or inside a container.
   */
  host?: string;
  /** TCP port; default 2575 (the IANA port of HL7 over MLLP). `0` picks a free port (tests). */
  port?: number;
  /** TLS on the listener; plain TCP when absent. */
  tls?: MllpServerTlsOptions;
  /** Largest accepted payload in bytes (default 1 MiB); larger frames go to `onOversize`. */
  maxMessageBytes?: number;
  /** Bytes of an oversize frame passed to `onOversize` (default 4 KiB: room for MSH). */
  oversizePrefixBytes?: number;
  /** Close a connection after this long without traffic (default 5 min; 0 = never). */
  idleTimeoutMs?: number;
  /** Most connections open at once; further ones are closed on accept (default 1000). */
  maxConnections?: number;
  /** TCP keep-alive probes on connections (default on, first probe after 60 s; `false` = off). */
  keepAlive?: boolean | { initialDelayMs: number };
  /** How long `close()` waits for in-flight handlers before it destroys sockets (default 30 s). */
  closeTimeoutMs?: number;
  /** Answers each frame. */
  handler: MllpFrameHandler;
  /** Answers oversize frames; without it, such a connection is closed unanswered. */
  onOversize?: MllpOversizeHandler;
  logger?: MllpLogger;
}

/** Options with their defaults applied and checked. */
export interface ResolvedMllpServerOptions {
  host: string;
  port: number;
  tls: MllpServerTlsOptions | undefined;
  maxMessageBytes: number;
  oversizePrefixBytes: number;
  idleTimeoutMs: number;
  maxConnections: number;
  keepAliveInitialDelayMs: number | undefined;
  closeTimeoutMs: number;
  handler: MllpFrameHandler;
  onOversize: MllpOversizeHandler | undefined;
  logger: MllpLogger;
}

/** Default port of HL7 over MLLP. */
export const DEFAULT_MLLP_PORT = 2575;
/** Default bind address: loopback only. */
export const DEFAULT_MLLP_HOST = '127.0.0.1';

const noop = (): void => undefined;
/** A logger that drops everything (the default). */
export const silentMllpLogger: MllpLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** Applies the defaults of {@link MllpServerOptions} and checks the ranges. */
export function resolveMllpServerOptions(options: MllpServerOptions): ResolvedMllpServerOptions {
  if (typeof options.handler !== 'function') throw MllpError.invalidOption('handler', 'a function');
  const port = options.port ?? DEFAULT_MLLP_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw MllpError.invalidOption('port', 'an integer from 0 to 65535');
  const maxMessageBytes = positive(options, 'maxMessageBytes', DEFAULT_MAX_MESSAGE_BYTES);
  const keepAlive = options.keepAlive ?? true;
  const keepAliveInitialDelayMs =
    keepAlive === false ? undefined : keepAlive === true ? 60_000 : keepAlive.initialDelayMs;
  if (keepAliveInitialDelayMs !== undefined && !(keepAliveInitialDelayMs >= 0))
    throw MllpError.invalidOption('keepAlive.initialDelayMs', 'a number >= 0');
  return {
    host: options.host ?? DEFAULT_MLLP_HOST,
    port,
    tls: options.tls,
    maxMessageBytes,
    oversizePrefixBytes: Math.min(
      positive(options, 'oversizePrefixBytes', DEFAULT_OVERSIZE_PREFIX_BYTES),
      maxMessageBytes,
    ),
    idleTimeoutMs: nonNegative(options, 'idleTimeoutMs', 5 * 60_000),
    maxConnections: positive(options, 'maxConnections', 1000),
    keepAliveInitialDelayMs,
    closeTimeoutMs: nonNegative(options, 'closeTimeoutMs', 30_000),
    handler: options.handler,
    onOversize: options.onOversize,
    logger: options.logger ?? silentMllpLogger,
  };
}

type NumericOption = 'maxMessageBytes' | 'oversizePrefixBytes' | 'maxConnections';

function positive(options: MllpServerOptions, name: NumericOption, fallback: number): number {
  const value = options[name] ?? fallback;
  if (!Number.isInteger(value) || value < 1) throw MllpError.invalidOption(name, 'an integer >= 1');
  return value;
}

function nonNegative(
  options: MllpServerOptions,
  name: 'idleTimeoutMs' | 'closeTimeoutMs',
  fallback: number,
): number {
  const value = options[name] ?? fallback;
  if (!Number.isFinite(value) || value < 0) throw MllpError.invalidOption(name, 'a number >= 0');
  return value;
}
