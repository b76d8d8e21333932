import { BigIntType, type Opt } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * A committed domain event waiting to be (or already) published: written in the same
 * transaction as the change it describes (the transactional outbox). `position` orders a
 * tenant's events in commit order (1, 2, 3…, allocated under the tenant's `OutboxHead` lock);
 * the relay publishes unpublished rows in that order and sets `publishedAt`. Published rows
 * stay for the replay window (reconnecting subscribers resume from them). Holds ids and a
 * non-PHI summary only. Not exposed in GraphQL.
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
@Index({ properties: ['tenantId', 'createdAt'] })
export class OutboxEvent {
  /** The event id: the idempotency key subscribers de-duplicate by. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  /** Commit order within the tenant. */
  @Property({ type: new BigIntType('number') })
  position!: number;

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
 * A tenant's last allocated outbox position. A writer locks this row (`FOR UPDATE`) to allocate
 * positions, so a tenant's positions commit in the order they were allocated: no reader ever
 * sees position n+1 before n. Not exposed in GraphQL.
 */
@Entity()
export class OutboxHead {
  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: new BigIntType('number') })
  position!: number;
}
