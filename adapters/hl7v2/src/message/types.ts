/**
 * The message layer's public types: what the MLLP listener, the pipeline and the mappings code
 * against. Implemented by `parse-message.ts` (parser), `write-message.ts` (writer) and
 * `build-ack.ts` (acknowledgements).
 */

/** The five delimiters of MSH-1/MSH-2, plus the v2.7 truncation character when present. */
export interface Delimiters {
  field: string; // |
  component: string; // ^
  repetition: string; // ~
  escape: string; // \
  subcomponent: string; // &
  /** v2.7+ fifth encoding character (usually `#`), absent before. */
  truncation?: string;
}

/**
 * A field value read through `get`: a string (escapes decoded), `null` for the HL7 null `""`
 * ("clear this value"), `undefined` when the field, repetition or component is empty or absent
 * ("leave it as it is").
 */
export type Hl7Value = string | null | undefined;

/** One segment (`PID`, `OBX`, `ZPI`…). Fields are numbered as in the standard: MSH-1 is `|`. */
export interface Hl7Segment {
  name: string;
  /** 0-based position of the segment in the message. */
  index: number;
  /**
   * A value by path relative to the segment: `3` (first repetition, first component),
   * `3[2]` (second repetition), `3.1`, `3[2].4.2` (sub-component). Escapes decoded.
   */
  get(path: string): Hl7Value;
  /** Every repetition of field `n`, each as components of sub-components (escapes decoded). */
  repetitions(n: number): Hl7Value[][][];
  /** The number of fields present (MSH counts MSH-1). */
  fieldCount: number;
}

/** The header fields every stage needs, read once from MSH. */
export interface MessageHeader {
  sendingApplication?: string; // MSH-3.1
  sendingFacility?: string; // MSH-4.1
  receivingApplication?: string; // MSH-5.1
  receivingFacility?: string; // MSH-6.1
  dateTime?: string; // MSH-7.1 as sent (HL7 DTM)
  messageCode: string; // MSH-9.1, e.g. ADT
  triggerEvent?: string; // MSH-9.2, e.g. A01
  messageStructure?: string; // MSH-9.3, e.g. ADT_A01
  controlId: string; // MSH-10
  processingId?: string; // MSH-11.1 (P, T, D)
  version: string; // MSH-12.1, e.g. 2.5.1
  acceptAckType?: string; // MSH-15 (AL, NE, ER, SU); undefined = original mode
  applicationAckType?: string; // MSH-16
  characterSet?: string; // MSH-18 first repetition
}

/** A parsed message. */
export interface Hl7Message {
  delimiters: Delimiters;
  header: MessageHeader;
  segments: readonly Hl7Segment[];
  /** The message text as decoded (segments joined with `\r`), what the store keeps. */
  text: string;
  /** First segment named `name`. */
  segment(name: string): Hl7Segment | undefined;
  /** Every segment named `name`, in order. */
  all(name: string): Hl7Segment[];
  /** A value by full path: `PID-3[2].1`, `MSH-9.2`, `OBX-5`; the first segment of that name. */
  get(path: string): Hl7Value;
}

/** Acknowledgement codes: original mode (AA/AE/AR) and enhanced commit ACKs (CA/CE/CR). */
export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';

/** Where an error is, for ERR-2 (v2.5+) or ERR-1 (before): segment id, its 1-based sequence, field, component. */
export interface ErrorLocation {
  segment: string;
  sequence?: number;
  field?: number;
  component?: number;
}
