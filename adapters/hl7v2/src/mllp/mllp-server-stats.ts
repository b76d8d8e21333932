/**
 * Counters of an {@link MllpServer} since it was created, for metrics (`server.stats()` returns a
 * copy). All are monotonic except `connectionsOpen` and `handlersInFlight`.
 */
export interface MllpServerStats {
  /** Connections open now. */
  connectionsOpen: number;
  /** Connections accepted since the start. */
  connectionsTotal: number;
  /** Connections refused because `maxConnections` were open. */
  connectionsRejected: number;
  /** Connections closed for being idle longer than `idleTimeoutMs`. */
  idleTimeouts: number;
  /** TLS handshakes that failed (no or untrusted client certificate, protocol mismatch). */
  tlsErrors: number;
  /** Bytes read from all connections. */
  bytesReceived: number;
  /** Bytes written to all connections (framing included). */
  bytesSent: number;
  /** Complete frames read within the limit. */
  framesReceived: number;
  /** Frames whose handler (or `onOversize`) finished and whose responses were written. */
  framesHandled: number;
  /** Frames read but not handled: they arrived while closing or after a failure (no ACK sent). */
  framesDropped: number;
  /** Frames over `maxMessageBytes`. */
  oversizeFrames: number;
  /** Bytes outside any frame that were discarded. */
  garbageBytes: number;
  /** Frames abandoned by a start block inside them. */
  frameRestarts: number;
  /** Unfinished frames lost because the connection ended in the middle of them. */
  truncatedFrames: number;
  /** Handlers (or `onOversize`) that threw: their connection was closed without an ACK. */
  handlerErrors: number;
  /** Responses written (one per payload). */
  responsesWritten: number;
  /** Handlers running now. */
  handlersInFlight: number;
}

/** All counters at zero. */
export function emptyMllpServerStats(): MllpServerStats {
  return {
    connectionsOpen: 0,
    connectionsTotal: 0,
    connectionsRejected: 0,
    idleTimeouts: 0,
    tlsErrors: 0,
    bytesReceived: 0,
    bytesSent: 0,
    framesReceived: 0,
    framesHandled: 0,
    framesDropped: 0,
    oversizeFrames: 0,
    garbageBytes: 0,
    frameRestarts: 0,
    truncatedFrames: 0,
    handlerErrors: 0,
    responsesWritten: 0,
    handlersInFlight: 0,
  };
}
