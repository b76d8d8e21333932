/**
 * Stable codes of outbound failures, stored as `lastErrorCode` (with the MLLP transport's
 * `CG_ERR_MLLP_*` codes for timeouts and connection failures). Documented in the README
 * ("Outbound").
 */
export const OutboundErrorCode = {
  /** The destination answered AE, AR, CE or CR: the message is in the error queue, not retried. */
  NAK: 'CG_ERR_HL7_OUTBOUND_NAK',
  /** The answer was not an ACK of this message (unreadable, no MSA, another control id): retried. */
  BAD_ACK: 'CG_ERR_HL7_OUTBOUND_BAD_ACK',
  /** The message names a destination that is no longer configured: in the error queue. */
  UNKNOWN_DESTINATION: 'CG_ERR_HL7_OUTBOUND_UNKNOWN_DESTINATION',
  /**
   * The TLS handshake with the destination failed (its certificate is not trusted by `caFile`,
   * does not match `host`/`servername`, or it refused ours): retried (fix the certificates).
   */
  TLS_HANDSHAKE: 'CG_ERR_HL7_OUTBOUND_TLS_HANDSHAKE',
  /** A TLS file of the destination could not be read: retried (fix the file or the config). */
  TLS_FILE: 'CG_ERR_HL7_OUTBOUND_TLS_FILE',
  /** Something else failed while sending (retried). */
  SEND_FAILED: 'CG_ERR_HL7_OUTBOUND_SEND_FAILED',
} as const;
export type OutboundErrorCode = (typeof OutboundErrorCode)[keyof typeof OutboundErrorCode];
