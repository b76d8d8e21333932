import type { ErrorLocation } from '../message/types.js';

/**
 * An error that says what HL7 should hear: a stable code, the HL7 table 0357 code and where.
 * The message layer's `Hl7Error` and the mappings' `MappingError` are both shaped like this.
 */
export interface CodedFailure {
  code: string;
  /** HL7 table 0357: 100 segment sequence, 101 required field missing, 102 data type, 207 application internal… */
  hl7Code: string;
  message: string;
  location?: ErrorLocation;
  /** AR for rejections (bad MSH, unsupported type or version), AE for processing errors. */
  ackCode?: 'AE' | 'AR';
}

/** Whether `error` carries an HL7 code (else it is a bug or an outage: HL7 207). */
export function isCodedFailure(error: unknown): error is CodedFailure {
  if (!(error instanceof Error)) return false;
  const candidate = error as Error & Partial<CodedFailure>;
  return typeof candidate.code === 'string' && typeof candidate.hl7Code === 'string';
}

/** The failure of an unexpected exception: its text stays in the log, never in the ACK. */
export const INTERNAL_FAILURE: CodedFailure = {
  code: 'CG_ERR_HL7_APPLY_FAILED',
  hl7Code: '207',
  message: 'The message could not be applied (application internal error).',
  ackCode: 'AE',
};
