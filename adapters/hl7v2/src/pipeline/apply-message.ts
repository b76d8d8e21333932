import type { PluginWriteScope } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import type { Hl7Message } from '../message/types.js';

/** What applying a message did. */
export interface ApplyResult {
  /** `not-mapped`: a valid message of a type no mapping covers (stored and acknowledged). */
  kind: 'processed' | 'not-mapped';
  /** e.g. `adt-1`. */
  mappingVersion?: string;
  patientId?: string;
  /** The records it created or changed, as `Type/id`. */
  records: string[];
  /** Why it was not mapped. */
  note?: string;
}

/** What an applier runs with: the message's write (one transaction with its store row). */
export interface ApplyScope {
  w: PluginWriteScope;
  config: Hl7v2Config;
  /** The stored message's id (Provenance points at it). */
  messageId: string;
}

/**
 * Applies a parsed message to the model inside its write. Throws a coded error (HL7 table 0357)
 * for a message it cannot apply; the write then rolls back and the message goes to the error queue.
 */
export type MessageApplier = (message: Hl7Message, scope: ApplyScope) => Promise<ApplyResult>;
