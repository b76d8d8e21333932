import { forSender } from '../message/header.js';
import type { Hl7Message } from '../message/types.js';
import type { MappedRecord } from './records.js';

/** An assigning authority (HD): CX-4, XCN-9, EI-2..4. */
export interface AssigningAuthority {
  /** HD-1, e.g. `MRN` or `Priority Health`. */
  namespaceId?: string;
  /** HD-2, e.g. an OID. */
  universalId?: string;
  /** HD-3: ISO, UUID, URI, DNS… */
  universalIdType?: string;
}

/** What an extractor and a hook know about the message being mapped. */
export interface MappingContext {
  /** `MSH-3.1^MSH-4.1` (either part may be empty). */
  readonly senderKey: string;
  /** The hooks that apply to this sender (empty when none). */
  readonly hooks: SenderHooks;
  /** IANA zone for date/times without an offset. */
  readonly defaultTimeZone: string;
  /** The identifier system rule, with the sender's `identifierSystem` hook applied first. */
  identifierSystem(authority: AssigningAuthority, typeCode: string | undefined): string;
  /** The code system rule (HL7 table 0396 names to URIs), with the `codeSystem` hook first. */
  codeSystem(name: string | undefined): string;
}

/** Replaces the mapping of one message type (`ADT^A01`, `ORU^R01`…) for a sender. */
export type Extractor = (msg: Hl7Message, ctx: MappingContext) => MappedRecord;

/**
 * Per-sender overrides. Every member is optional; the default mapping applies where none is given.
 * Z-segments are read from the message: `msg.segment('ZPI')?.get('2')`.
 */
export interface SenderHooks {
  /** Runs first; may return a replacement message (e.g. re-parsed after a text fix). */
  before?(msg: Hl7Message, ctx: MappingContext): Hl7Message | void;
  /** Runs last on the record the mapping produced; returns the record to apply. */
  after?(msg: Hl7Message, record: MappedRecord, ctx: MappingContext): MappedRecord;
  /**
   * The identifier system of a CX/XCN/EI with this authority and type code (e.g. map a local
   * `HOSP` authority to `urn:oid:1.2.3`). Return undefined to use the default rule.
   */
  identifierSystem?(
    authority: AssigningAuthority,
    typeCode: string | undefined,
    ctx: MappingContext,
  ): string | undefined;
  /** The URI of a coding system name (CE-3/CWE-3). Return undefined for the default rule. */
  codeSystem?(name: string | undefined, ctx: MappingContext): string | undefined;
  /** IANA zone for this sender's date/times without an offset (overrides the option). */
  defaultTimeZone?: string;
  /** Mappings replaced for this sender, keyed by `CODE^TRIGGER` (e.g. `ADT^A08`). */
  extractors?: Readonly<Record<string, Extractor>>;
}

/**
 * Hooks by sender. Keys, tried in this order: `MSH-3^MSH-4` (sending application and facility,
 * first components), `MSH-3` alone, then `*` (every sender). The first key found applies alone.
 */
export type MappingHooks = Readonly<Record<string, SenderHooks>>;

/** The hooks of the message's sender, by the key order of {@link MappingHooks}. */
export function hooksFor(msg: Hl7Message, hooks: MappingHooks | undefined): SenderHooks {
  return (hooks && forSender(msg, hooks)) ?? {};
}
