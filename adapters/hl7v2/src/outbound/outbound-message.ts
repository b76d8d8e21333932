import { BigIntType, type Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Sensitive, TenantScopedEntity } from '@caregraph/schema';
import { OutboundMessageStatus } from './outbound-message-status.js';

/**
 * One HL7 v2 message to a downstream system (the durable outbound queue): the text as written
 * (encrypted at rest: it is PHI), where it goes, where it stands, and the ACK that came back.
 * `(tenant, destination, sourceEventId)` is unique, so an event delivered twice queues one
 * message. A destination's messages are sent strictly in queue order `(createdAt,
 * eventPosition, id)`, one at a time.
 */
@ObjectType({ description: 'An outbound HL7 v2 message to a downstream system.' })
@Entity({ tableName: 'hl7_outbound_message' })
@Unique({ properties: ['tenantId', 'destination', 'sourceEventId'] })
@Index({ properties: ['tenantId', 'destination', 'status', 'createdAt'] })
@Index({ properties: ['tenantId', 'destination', 'createdAt', 'id'] })
@Index({ properties: ['tenantId', 'destination', 'record'] })
@Index({ properties: ['tenantId', 'status', 'createdAt', 'id'] })
@Index({ properties: ['tenantId', 'createdAt', 'id'] })
export class OutboundMessage extends TenantScopedEntity {
  /** The configured destination's `name`. */
  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  destination!: string;

  /** MSH-10; kept across resends, so the receiver can recognise a repeat. */
  @Field(() => String)
  @Property({ type: 'string', length: 199 })
  controlId!: string;

  /** MSH-9 code and trigger, e.g. `SIU^S12`. */
  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  messageType!: string;

  /** The message as written (segments joined by CR); served by an audited resolver. */
  @Sensitive()
  @Property({ type: 'text', lazy: true })
  text!: string;

  @Field(() => OutboundMessageStatus)
  @Enum({ items: () => OutboundMessageStatus })
  status: Opt<OutboundMessageStatus> = OutboundMessageStatus.QUEUED;

  /** Sends so far (a resend after a timeout or a lost connection counts). */
  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  /**
   * Queued: not sent before this (the retry backoff). Sent: when an attempt that never finished
   * (the hub stopped mid-send) is given up and the message is sent again.
   */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date;

  /** When it was last written to the destination. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date;

  /** When the ACK (or NAK) arrived. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  ackAt?: Date;

  /** Stable code of the last failure (`CG_ERR_MLLP_TIMEOUT`, `CG_ERR_HL7_OUTBOUND_NAK`, …). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  lastErrorCode?: string;

  /** What went wrong, without PHI (the receiver's own words are in `ackText`). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastErrorText?: string;

  /** MSA-1 of the answer: AA, AE, AR, CA, CE or CR. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 2, nullable: true })
  ackCode?: string;

  /** The ACK as received (encrypted at rest: a receiver may echo PHI in its error text). */
  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  ackText?: string;

  /**
   * The care event that produced the message (its idempotency key); for an application ACK, the
   * inbound message it acknowledges (`IntegrationMessage` id).
   */
  @Field(() => ID)
  @Property({ type: 'uuid' })
  sourceEventId!: string;

  /** Its `CareEventType`, or `ApplicationAck` for an application ACK. */
  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  sourceEventType!: string;

  /** The event's position in the tenant's commit order (orders messages queued in one millisecond). */
  @Property({ type: new BigIntType('number'), nullable: true })
  eventPosition?: number;

  /**
   * The patient the message is about (audit of reads of the text); none for an application ACK
   * of a message that was not applied to a patient.
   */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  patientId?: string;

  /** The record it describes, as `Type/id` (`Appointment/…`; `IntegrationMessage/…` for an ACK). */
  @Field(() => String)
  @Property({ type: 'string', length: 128 })
  record!: string;
}
