/**
 * Stable codes of the errors the MLLP transport raises. Documented in adapters/hl7v2/README.md
 * ("MLLP transport").
 */
export const MllpErrorCode = {
  /** No response frame arrived within `timeoutMs` (the client closes the connection then). */
  TIMEOUT: 'CG_ERR_MLLP_TIMEOUT',
  /** The connection closed (or failed) while a response was awaited or a reply was written. */
  CLOSED: 'CG_ERR_MLLP_CLOSED',
  /** A write was attempted on a client or connection that is not (or no longer) connected. */
  NOT_CONNECTED: 'CG_ERR_MLLP_NOT_CONNECTED',
  /** The connection could not be opened: refused, unreachable, TLS handshake failed, timed out. */
  CONNECT_FAILED: 'CG_ERR_MLLP_CONNECT_FAILED',
  /** A received frame was larger than `maxMessageBytes`. */
  OVERSIZE: 'CG_ERR_MLLP_OVERSIZE',
  /** The server could not listen on its host and port (in use, not permitted, no such address). */
  LISTEN_FAILED: 'CG_ERR_MLLP_LISTEN_FAILED',
  /** `listen()` was called on a server that is already listening, closing or closed. */
  SERVER_STATE: 'CG_ERR_MLLP_SERVER_STATE',
  /** An option of the server or client is out of range; `details.option` names it. */
  INVALID_OPTIONS: 'CG_ERR_MLLP_INVALID_OPTIONS',
} as const;
export type MllpErrorCode = (typeof MllpErrorCode)[keyof typeof MllpErrorCode];

/**
 * An error of the MLLP transport. `code` is stable; `message` never contains message content
 * (frames hold PHI); `details` is structured data for logs (host, port, timeouts, sizes).
 */
export class MllpError extends Error {
  constructor(
    readonly code: MllpErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MllpError';
  }

  /** No response within `timeoutMs`. */
  static timeout(timeoutMs: number): MllpError {
    return new MllpError(
      MllpErrorCode.TIMEOUT,
      `No MLLP response within ${timeoutMs} ms; the connection was closed.`,
      { timeoutMs },
    );
  }

  /** The connection closed while responses were awaited. */
  static closed(cause?: unknown): MllpError {
    return new MllpError(
      MllpErrorCode.CLOSED,
      'The MLLP connection closed before the response arrived.',
      cause instanceof Error && 'code' in cause ? { reason: cause.code } : {},
      { cause },
    );
  }

  /** A write on a connection that is not open. */
  static notConnected(): MllpError {
    return new MllpError(MllpErrorCode.NOT_CONNECTED, 'The MLLP connection is not open.');
  }

  /**
   * A connection attempt failed; `reason` is the system error code (`ECONNREFUSED`), a TLS error
   * code (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`) or `timeout`; `tlsHandshake` when TCP connected and
   * the TLS handshake failed.
   */
  static connectFailed(
    host: string,
    port: number,
    reason: string,
    cause?: unknown,
    tlsHandshake = false,
  ): MllpError {
    return new MllpError(
      MllpErrorCode.CONNECT_FAILED,
      tlsHandshake
        ? `The TLS handshake with the MLLP endpoint ${host}:${port} failed (${reason}).`
        : `Could not connect to the MLLP endpoint ${host}:${port} (${reason}).`,
      { host, port, reason, ...(tlsHandshake ? { tlsHandshake } : {}) },
      { cause },
    );
  }

  /** A received frame exceeded `maxMessageBytes` (`size` is its full length). */
  static oversize(size: number, maxMessageBytes: number): MllpError {
    return new MllpError(
      MllpErrorCode.OVERSIZE,
      `Received an MLLP frame of ${size} bytes, more than the limit of ${maxMessageBytes}.`,
      { size, maxMessageBytes },
    );
  }

  /** An option is out of range. */
  static invalidOption(option: string, expected: string): MllpError {
    return new MllpError(
      MllpErrorCode.INVALID_OPTIONS,
      `MLLP option "${option}" is invalid: expected ${expected}.`,
      { option, expected },
    );
  }
}
