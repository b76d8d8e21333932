/**
 * The HL7 v2 message layer: parsing, escapes, batches, the writer, acknowledgements and the
 * acknowledgement policy. See the "Message layer" section of the package README.
 */
export * from './types.js';
export { Hl7Error, Hl7ErrorCode, Hl7ErrorCondition, formatLocation } from './hl7-error.js';
export type { Hl7ConditionCode, Hl7ErrorOptions } from './hl7-error.js';
export { parseMessage, splitLines } from './parse-message.js';
export type { ParseMessageOptions } from './parse-message.js';
export { ParsedMessage } from './parsed-message.js';
export { ParsedSegment } from './segment.js';
export { decodeEscapes, encodeEscapes } from './escapes.js';
export { DEFAULT_DELIMITERS, readDelimiters, encodingCharacters } from './delimiters.js';
export { encodingForCharset, encodeForCharset } from './charsets.js';
export { forSender, isSupportedVersion, senderKeyOf, SUPPORTED_VERSION } from './header.js';
export { compareVersions, versionAtLeast } from './versions.js';
export { parseFieldPath, parseMessagePath } from './paths.js';
export type { FieldPath, MessagePath } from './paths.js';
export { isBatchInput, splitBatch } from './batch.js';
export type {
  BatchHeader,
  BatchInfo,
  BatchProblem,
  BatchSplit,
  SplitBatchOptions,
} from './batch.js';
export { writeMessage, writeSegment } from './write-message.js';
export type {
  WriteMessageOptions,
  WriterComponent,
  WriterField,
  WriterRepetition,
  WriterSegment,
  WriterValue,
} from './write-message.js';
export { buildAck, ackMessageType, formatTimestamp, newControlId } from './build-ack.js';
export type { AckError, BuildAckInput } from './build-ack.js';
export { buildFallbackNak } from './fallback-nak.js';
export type { FallbackNakOptions } from './fallback-nak.js';
export { checkHeader } from './check-header.js';
export type { HeaderPolicy } from './check-header.js';
export { ackPlan } from './ack-policy.js';
export type { AckCondition, AckPlan, AckPlanOptions } from './ack-policy.js';
export { buildBatchAck } from './build-batch-ack.js';
export type { BatchAckGroup, BuildBatchAckInput } from './build-batch-ack.js';
