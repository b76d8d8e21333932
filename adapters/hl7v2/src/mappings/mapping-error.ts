import type { ErrorLocation } from '../message/types.js';

/** Stable codes of {@link MappingError}, for logs and the error queue. */
export const MappingErrorCode = {
  REQUIRED_FIELD_MISSING: 'CG_ERR_HL7_REQUIRED_FIELD_MISSING',
  DATA_TYPE_ERROR: 'CG_ERR_HL7_DATA_TYPE',
  TABLE_VALUE_NOT_FOUND: 'CG_ERR_HL7_TABLE_VALUE_NOT_FOUND',
  INTERNAL: 'CG_ERR_HL7_MAPPING_INTERNAL',
  UNKNOWN_KEY: 'CG_ERR_HL7_UNKNOWN_KEY',
} as const;
/** One of {@link MappingErrorCode}. */
export type MappingErrorCode = (typeof MappingErrorCode)[keyof typeof MappingErrorCode];

/** HL7 table 0357 (message error condition codes) used by the mappings. */
export type MappingHl7Code = '101' | '102' | '103' | '204' | '207';

/**
 * A message that cannot be mapped: the pipeline answers it with an AE whose ERR segment carries
 * `hl7Code` (table 0357) and `location`. `message` names the field and the problem, never a value
 * from the message (no PHI).
 */
export class MappingError extends Error {
  constructor(
    readonly code: MappingErrorCode,
    readonly hl7Code: MappingHl7Code,
    message: string,
    readonly location?: ErrorLocation,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MappingError';
  }

  /** 101: a field the mapping needs is empty or the segment is absent. */
  static requiredFieldMissing(location: ErrorLocation, what: string): MappingError {
    return new MappingError(
      MappingErrorCode.REQUIRED_FIELD_MISSING,
      '101',
      `${describe(location)} (${what}) is required`,
      location,
    );
  }

  /** 102: a value does not have the data type of its field (e.g. an NM that is not a number). */
  static dataTypeError(location: ErrorLocation, expected: string): MappingError {
    return new MappingError(
      MappingErrorCode.DATA_TYPE_ERROR,
      '102',
      `${describe(location)} is not a valid ${expected}`,
      location,
    );
  }

  /** 103: a coded value is not in the HL7 table the mapping knows for that field. */
  static tableValueNotFound(location: ErrorLocation, table: string): MappingError {
    return new MappingError(
      MappingErrorCode.TABLE_VALUE_NOT_FOUND,
      '103',
      `${describe(location)} is not a value of HL7 table ${table}`,
      location,
    );
  }

  /** 204: the message names a record (patient, visit, appointment) that is not stored. */
  static unknownKey(location: ErrorLocation, what: string): MappingError {
    return new MappingError(
      MappingErrorCode.UNKNOWN_KEY,
      '204',
      `${describe(location)} names a ${what} that is not known here`,
      location,
    );
  }

  /** 207: the mapping itself failed (a bug or a hook that threw); `cause` keeps the original. */
  static internal(cause: unknown): MappingError {
    return new MappingError(
      MappingErrorCode.INTERNAL,
      '207',
      'The HL7 mapping failed with an internal error',
      undefined,
      { cause },
    );
  }
}

/** `PID-1-3` style: segment, its 1-based sequence, field, component. */
function describe(location: ErrorLocation): string {
  let text = location.segment;
  if (location.sequence !== undefined) text += `-${location.sequence}`;
  if (location.field !== undefined) text += `-${location.field}`;
  if (location.component !== undefined) text += `.${location.component}`;
  return text;
}
