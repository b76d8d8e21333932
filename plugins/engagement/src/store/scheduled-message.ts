import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { CommunicationChannel, ConsentPurpose, TenantScopedEntity } from '@caregraph/schema';
import { Field, Int, ObjectType } from 'type-graphql';
import { ScheduledMessageStatus } from './scheduled-message-status.js';

/**
 * One planned message to one recipient: the durable queue of the engagement plugin. The
 * `idempotencyKey` (unique per tenant) names what the message is for (rule, subject, trigger,
 * recipient), so planning the same thing twice, after a retry or a crash, stores it once; the
 * dispatcher claims due rows with `FOR UPDATE SKIP LOCKED` (several instances share the queue).
 * Holds ids and codes only: the text is rendered when it is sent.
 */
@ObjectType({ description: 'A planned patient message: when it is due, and where it stands.' })
@Entity({ tableName: 'engagement_scheduled_message' })
@Unique({ properties: ['tenantId', 'idempotencyKey'] })
@Index({ properties: ['tenantId', 'status', 'dueAt'] })
@Index({ properties: ['tenantId', 'about'] })
@Index({ properties: ['tenantId', 'patientId', 'dueAt'] })
@Index({ properties: ['tenantId', 'addressIndex', 'sentAt'] })
@Index({ properties: ['tenantId', 'providerMessageId'] })
export class ScheduledMessage extends TenantScopedEntity {
  /** e.g. `appointment-reminder:Appointment/<id>@2026-12-10T15:00:00.000Z:P1D:Patient/<id>`. */
  @Property({ type: 'string', length: 512 })
  idempotencyKey!: string;

  @Field(() => String)
  @Property({ type: 'uuid' })
  patientId!: string;

  /** `Patient` or `RelatedPerson` (a caregiver or proxy). */
  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  recipientType!: 'Patient' | 'RelatedPerson';

  @Field(() => String)
  @Property({ type: 'uuid' })
  recipientId!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  ruleKey!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  ruleVersion!: number;

  @Field(() => ConsentPurpose)
  @Enum({ items: () => ConsentPurpose })
  purpose!: ConsentPurpose;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  templateKey!: string;

  /** What the message is about, e.g. `Appointment/<id>`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 128, nullable: true })
  about?: string;

  /** What made it due: a reminder offset (`P7D`), `no-show`, `post-visit`… */
  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  trigger!: string;

  /** When it should go out (moved forward by quiet hours and caps). */
  @Field(() => Date)
  @Property({ type: 'datetime' })
  dueAt!: Date;

  /** Past this, sending is pointless (a reminder once its appointment has begun). */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date;

  @Field(() => ScheduledMessageStatus)
  @Enum({ items: () => ScheduledMessageStatus })
  status: Opt<ScheduledMessageStatus> = ScheduledMessageStatus.SCHEDULED;

  /** The channel it went (or goes) out on, chosen at send time. */
  @Field(() => CommunicationChannel, { nullable: true })
  @Enum({ items: () => CommunicationChannel, nullable: true })
  channel?: CommunicationChannel;

  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  /** A claimed message's lease: past it, a dispatcher that died while sending gives it up. */
  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date;

  /** The `Communication` recorded when it was sent. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  communicationId?: string;

  /** The provider's id of the sent message (SMTP Message-ID, SMS sid): receipts find it by this. */
  @Property({ type: 'string', length: 256, nullable: true })
  providerMessageId?: string;

  /**
   * The tenant's blind index of the address it went to (normalised: `normalizeAddress`): a reply
   * from that number finds the message it answers without the number being stored in clear.
   */
  @Property({ type: 'string', length: 64, nullable: true })
  addressIndex?: string;

  /** Why it was skipped, deferred or failed: a stable code, never PHI. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  reasonCode?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date;
}
