import type { EntityManager } from '@mikro-orm/sql';
import type { PluginWriteScope } from '@caregraph/plugin-sdk';
import type { Practitioner } from '@caregraph/schema';
import type { Hl7v2Config } from '../config.js';

/**
 * What the appliers of one message share: its write (one transaction with the store row), the
 * records it touched (for the store and Provenance) and the practitioners already resolved.
 */
export class ApplyState {
  readonly records = new Set<string>();
  /** The records that already have their Provenance row in this message. */
  private readonly provenanced = new Set<string>();
  readonly practitioners = new Map<string, Practitioner>();
  patientId?: string;

  constructor(
    readonly w: PluginWriteScope,
    readonly config: Hl7v2Config,
    readonly messageId: string,
    /** `MSH-3^MSH-4`: the namespace of the sender's local ids. */
    readonly sender: string,
  ) {}

  get em(): EntityManager {
    return this.w.em as EntityManager;
  }

  /**
   * Notes a record the message created or changed through `em` (the domain services record their
   * own provenance): Provenance pointing at the stored message, and the store row's link.
   */
  touched(type: string, id: string, activity: 'create' | 'update' | 'delete'): void {
    const ref = `${type}/${id}`;
    if (!this.provenanced.has(ref)) this.w.provenance(ref, activity, 'HL7 v2 message');
    this.provenanced.add(ref);
    this.records.add(ref);
  }

  /**
   * Notes the outcome for a record the message wrote through `em`: Provenance when it was created
   * or changed; a record the message named but left as it was (a resend) is only linked.
   */
  wrote(type: string, id: string, outcome: { created: boolean; changed: boolean }): void {
    if (outcome.created) this.touched(type, id, 'create');
    else if (outcome.changed) this.touched(type, id, 'update');
    else this.linked(type, id);
  }

  /** Notes a record a domain service wrote (it records its own provenance). */
  linked(type: string, id: string): void {
    this.records.add(`${type}/${id}`);
  }
}
