import type { ErrorLocation } from './types.js';

/** HL7 table 0357 (message error condition codes) used in ERR-3 / ERR-1.4. */
export const Hl7ErrorCondition = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '205': 'Duplicate key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
} as const;

/** An HL7 table 0357 code. */
export type Hl7ConditionCode = keyof typeof Hl7ErrorCondition;

/** Stable error codes of the message layer (and of the stages that reject messages). */
export const Hl7ErrorCode = {
  /** No MSH segment at the start of the message. */
  MISSING_MSH: 'HL7_ERR_MISSING_MSH',
  /** MSH-1/MSH-2 cannot be read as delimiters. */
  DELIMITERS: 'HL7_ERR_DELIMITERS',
  /** A line that is not a segment, or segments out of order. */
  SEGMENT_SEQUENCE: 'HL7_ERR_SEGMENT_SEQUENCE',
  REQUIRED_FIELD_MISSING: 'HL7_ERR_REQUIRED_FIELD_MISSING',
  DATA_TYPE: 'HL7_ERR_DATA_TYPE',
  TABLE_VALUE_NOT_FOUND: 'HL7_ERR_TABLE_VALUE_NOT_FOUND',
  /** MSH-18 names a character set that cannot be decoded here. */
  UNSUPPORTED_CHARSET: 'HL7_ERR_UNSUPPORTED_CHARSET',
  UNSUPPORTED_MESSAGE_TYPE: 'HL7_ERR_UNSUPPORTED_MESSAGE_TYPE',
  UNSUPPORTED_EVENT: 'HL7_ERR_UNSUPPORTED_EVENT',
  UNSUPPORTED_PROCESSING_ID: 'HL7_ERR_UNSUPPORTED_PROCESSING_ID',
  UNSUPPORTED_VERSION: 'HL7_ERR_UNSUPPORTED_VERSION',
  UNKNOWN_KEY: 'HL7_ERR_UNKNOWN_KEY',
  DUPLICATE_KEY: 'HL7_ERR_DUPLICATE_KEY',
  RECORD_LOCKED: 'HL7_ERR_RECORD_LOCKED',
  APPLICATION_INTERNAL: 'HL7_ERR_APPLICATION_INTERNAL',
  /** A batch file whose BTS/FTS counts or header/trailer structure do not match its content. */
  BATCH_STRUCTURE: 'HL7_ERR_BATCH_STRUCTURE',
} as const;
/** One of {@link Hl7ErrorCode}. */
export type Hl7ErrorCode = (typeof Hl7ErrorCode)[keyof typeof Hl7ErrorCode];

/** The table 0357 code and default acknowledgement of each error code. */
const DEFAULTS: Record<Hl7ErrorCode, { hl7Code: Hl7ConditionCode; ackCode: 'AE' | 'AR' }> = {
  HL7_ERR_MISSING_MSH: { hl7Code: '100', ackCode: 'AR' },
  HL7_ERR_DELIMITERS: { hl7Code: '102', ackCode: 'AR' },
  HL7_ERR_SEGMENT_SEQUENCE: { hl7Code: '100', ackCode: 'AE' },
  HL7_ERR_REQUIRED_FIELD_MISSING: { hl7Code: '101', ackCode: 'AE' },
  HL7_ERR_DATA_TYPE: { hl7Code: '102', ackCode: 'AE' },
  HL7_ERR_TABLE_VALUE_NOT_FOUND: { hl7Code: '103', ackCode: 'AE' },
  HL7_ERR_UNSUPPORTED_CHARSET: { hl7Code: '103', ackCode: 'AR' },
  HL7_ERR_UNSUPPORTED_MESSAGE_TYPE: { hl7Code: '200', ackCode: 'AR' },
  HL7_ERR_UNSUPPORTED_EVENT: { hl7Code: '201', ackCode: 'AR' },
  HL7_ERR_UNSUPPORTED_PROCESSING_ID: { hl7Code: '202', ackCode: 'AR' },
  HL7_ERR_UNSUPPORTED_VERSION: { hl7Code: '203', ackCode: 'AR' },
  HL7_ERR_UNKNOWN_KEY: { hl7Code: '204', ackCode: 'AE' },
  HL7_ERR_DUPLICATE_KEY: { hl7Code: '205', ackCode: 'AE' },
  HL7_ERR_RECORD_LOCKED: { hl7Code: '206', ackCode: 'AE' },
  HL7_ERR_APPLICATION_INTERNAL: { hl7Code: '207', ackCode: 'AE' },
  HL7_ERR_BATCH_STRUCTURE: { hl7Code: '100', ackCode: 'AR' },
};

/** Options of {@link Hl7Error}: override the defaults of the code. */
export interface Hl7ErrorOptions {
  location?: ErrorLocation;
  ackCode?: 'AE' | 'AR';
  hl7Code?: Hl7ConditionCode;
  cause?: unknown;
}

/**
 * An error of the HL7 message layer: a stable `code`, the HL7 table 0357 `hl7Code` for ERR-3,
 * the acknowledgement it calls for (`AR`: the message is rejected, e.g. an unreadable MSH or an
 * unsupported type/version/processing id; `AE`: an error while processing it) and where it is.
 * The message names segments and fields, never their values (no PHI).
 */
export class Hl7Error extends Error {
  readonly code: Hl7ErrorCode;
  readonly hl7Code: Hl7ConditionCode;
  readonly ackCode: 'AE' | 'AR';
  readonly location?: ErrorLocation;

  constructor(code: Hl7ErrorCode, message: string, options: Hl7ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'Hl7Error';
    this.code = code;
    this.hl7Code = options.hl7Code ?? DEFAULTS[code].hl7Code;
    this.ackCode = options.ackCode ?? DEFAULTS[code].ackCode;
    if (options.location) this.location = options.location;
  }

  /** A required field is empty: in MSH the message is rejected (AR), elsewhere AE. */
  static requiredField(location: ErrorLocation, name?: string): Hl7Error {
    const where = `${location.segment}-${location.field ?? '?'}`;
    return new Hl7Error(
      Hl7ErrorCode.REQUIRED_FIELD_MISSING,
      `Required field ${where}${name ? ` (${name})` : ''} is missing.`,
      { location, ackCode: location.segment === 'MSH' ? 'AR' : 'AE' },
    );
  }

  /** An internal failure while processing a message (never carries the cause's text to the sender). */
  static internal(cause?: unknown): Hl7Error {
    return new Hl7Error(Hl7ErrorCode.APPLICATION_INTERNAL, 'Application internal error.', {
      cause,
    });
  }

  /** `true` when `value` is an {@link Hl7Error}. */
  static is(value: unknown): value is Hl7Error {
    return value instanceof Hl7Error;
  }
}

/** Formats a location as `PID-3.1` (segment sequence shown when above 1: `OBX[2]-5`). */
export function formatLocation(location: ErrorLocation): string {
  let out = location.segment;
  if (location.sequence !== undefined && location.sequence > 1) out += `[${location.sequence}]`;
  if (location.field !== undefined) out += `-${location.field}`;
  if (location.component !== undefined) out += `.${location.component}`;
  return out;
}
