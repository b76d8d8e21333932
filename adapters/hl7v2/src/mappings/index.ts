/** The HL7 v2 mappings: pure extractors from a parsed message to CareGraph records. */
export * from './records.js';
export { MappingError, MappingErrorCode, type MappingHl7Code } from './mapping-error.js';
export {
  mapMessage,
  messageTypeOf,
  MAPPED_MESSAGE_TYPES,
  type MapMessageOptions,
  type MessageType,
} from './map-message.js';
export {
  hooksFor,
  type AssigningAuthority,
  type Extractor,
  type MappingContext,
  type MappingHooks,
  type SenderHooks,
} from './hooks.js';
export {
  parseHl7Date,
  parseHl7DateTime,
  type DateTimePrecision,
  type Hl7Date,
  type Hl7DateTime,
} from './datetime.js';
export {
  defaultCodeSystem,
  defaultIdentifierSystem,
  toLanguageTag,
  CVX_SYSTEM,
  LOINC_SYSTEM,
  MDC_SYSTEM,
  US_NPI_SYSTEM,
  US_SSN_SYSTEM,
} from './code-systems.js';
export { parseReferenceRange, type ReferenceRange } from './observation.js';
export { PCD_01_PROFILE } from './oru.js';
