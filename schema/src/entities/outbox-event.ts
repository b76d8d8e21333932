import { BigIntType, type Opt } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * A committed domain event waiting to be (or already) published: written in the same
 * transaction as the change it describes (the transactional outbox), without a `position`.
 * The relay numbers committed rows per tenant (1, 2, 3…, in the order it finds them committed,
 * by `sequence` within one look), commits the numbers, then publishes the numbered rows in
 * that order and sets `publishedAt`. Writers take no tenant-wide lock. Published rows stay for
 * the replay window (reconnecting subscribers resume from them). Holds ids and a non-PHI
 * summary only. Not exposed in GraphQL.
 */
@Entity()
@Unique({ properties: ['tenantId', 'position'] })
// Only the rows waiting to be published (a few, however large the outbox): the relay's poll,
// its batches and the lag metric read them.
@Index({
  name: 'outbox_event_unpublished_index',
  properties: ['tenantId', 'position'],
  where: { publishedAt: null },
})
// The rows the relay has not numbered yet.
@Index({
  name: 'outbox_event_unnumbered_index',
  properties: ['tenantId', 'sequence'],
  where: { position: null },
})
@Index({ properties: ['tenantId', 'createdAt'] })
export class OutboxEvent {
  /** The event id: the idempotency key subscribers de-duplicate by. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  /** Publish order within the tenant, gap-free; null until the relay numbers the row. */
  @Property({ type: new BigIntType('number'), nullable: true })
  position?: number | null;

  /** Insert order across tenants (a database sequence): orders rows committed together. */
  @Property({ type: new BigIntType('number'), autoincrement: true })
  sequence?: number;

  /** A `CareEventType` value. */
  @Property({ type: 'string' })
  type!: string;

  @Property({ type: 'uuid' })
  patientId!: string;

  /** The rest of the message (summary, subject reference): ids and fixed texts, never PHI. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  /** When the relay last published the row; null while it waits. */
  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;
}

/**
 * A tenant's last outbox position. Only the relay writes it, under the tenant's advisory lock,
 * in the transaction that numbers rows: no reader ever sees position n+1 without n. Not
 * exposed in GraphQL.
 */
@Entity()
export class OutboxHead {
  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: new BigIntType('number') })
  position!: number;
}
