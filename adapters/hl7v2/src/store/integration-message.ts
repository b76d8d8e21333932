import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Sensitive, TenantScopedEntity } from '@caregraph/schema';
import { ApplicationAckDelivery } from './application-ack-delivery.js';
import { IntegrationMessageStatus } from './integration-message-status.js';

/**
 * One inbound HL7 v2 message as received (the message store): raw text (encrypted at rest: it is
 * PHI), who sent it, what it is, what became of it, the ACK sent and the records it touched.
 * `(tenant, sender, controlId, contentHash)` is unique among originals, so a resend is recognised
 * as a duplicate; lists are keyset-paged on `(receivedAt, id)` under per-filter indexes.
 */
@ObjectType({ description: 'An inbound HL7 v2 message in the message store.' })
@Entity({ tableName: 'hl7_message' })
@Index({ properties: ['tenantId', 'receivedAt', 'id'] })
@Index({ properties: ['tenantId', 'status', 'receivedAt', 'id'] })
@Index({ properties: ['tenantId', 'messageType', 'receivedAt', 'id'] })
@Index({ properties: ['tenantId', 'sender', 'receivedAt', 'id'] })
@Index({ properties: ['tenantId', 'controlId'] })
@Index({ properties: ['tenantId', 'patientKeyIndex', 'receivedAt'] })
export class IntegrationMessage extends TenantScopedEntity {
  /** How it arrived: `mllp`, `file`. */
  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  channel!: string;

  /** Sending application and facility, `MSH-3^MSH-4` (empty when MSH could not be read). */
  @Field(() => String)
  @Property({ type: 'string', length: 512 })
  sender!: string;

  /** MSH-10. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 199, nullable: true })
  controlId?: string;

  /** MSH-9 code and trigger, e.g. `ADT^A01`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  messageType?: string;

  /** MSH-12. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 16, nullable: true })
  version?: string;

  /** SHA-256 of the message text: tells a resend from another message reusing a control id. */
  @Property({ type: 'string', length: 64 })
  contentHash!: string;

  /** The message as received (decoded text, segments joined by CR); served by an audited resolver. */
  @Sensitive()
  @Property({ type: 'text', lazy: true })
  raw!: string;

  @Field(() => IntegrationMessageStatus)
  @Enum({ items: () => IntegrationMessageStatus })
  status!: IntegrationMessageStatus;

  /** False for a duplicate and for a refused message (the unique key covers originals only). */
  @Property({ type: 'boolean' })
  original: Opt<boolean> = true;

  /** For a duplicate: the stored message it repeats. */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  duplicateOf?: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  receivedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  processedAt?: Date;

  /** Processing attempts (reprocessing adds one each time). */
  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  /** Stable code of the last error (`HL7_ERR_…`, `CG_ERR_…`). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  errorCode?: string;

  /** What went wrong, without PHI. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  errorText?: string;

  /** Where, as `SEG-sequence-field-component` (e.g. `PID-1-3`). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  errorLocation?: string;

  /** The acknowledgement code sent (AA, AE, AR, CA, CE, CR). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 2, nullable: true })
  ackCode?: string;

  /** The last acknowledgement sent, as written. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  ack?: string;

  /**
   * Set when an enhanced-mode application ACK could not be written on the message's own
   * connection: queued on the sender's application-ACK destination, or undelivered (none).
   */
  @Field(() => ApplicationAckDelivery, { nullable: true })
  @Enum({ items: () => ApplicationAckDelivery, nullable: true })
  applicationAckDelivery?: ApplicationAckDelivery;

  /** Which mapping (and version) applied it, e.g. `adt-1`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  mappingVersion?: string;

  /**
   * The tenant's blind index of the patient's first identifier (PID-3): keeps one patient's
   * messages in arrival order, and finds a patient's messages by identifier without storing it.
   */
  @Property({ type: 'string', length: 64, nullable: true })
  patientKeyIndex?: string;

  /** The patient the message was applied to. */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  patientId?: string;

  /** The records it created or changed, as `Type/id`. */
  @Field(() => [String])
  @Property({ type: 'json' })
  records: Opt<string[]> = [];
}
