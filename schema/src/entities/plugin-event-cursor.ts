import { BigIntType, type Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * How far one plugin's event subscription got in a tenant's outbox: the last `position` its
 * handler finished (at-least-once delivery resumes after it, across restarts). One instance
 * drives a cursor at a time: it holds the lease (`leaseOwner` until `leaseUntil`) and renews it
 * while it works. Tenant-owned (row-level security). Not exposed in GraphQL.
 */
@Entity()
export class PluginEventCursor {
  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @PrimaryKey({ type: 'string', length: 100 })
  pluginId!: string;

  /** The subscription's name within the plugin (`default` unless the plugin names it). */
  @PrimaryKey({ type: 'string', length: 100 })
  name!: string;

  /** The last outbox position handled (or skipped as not consumed). */
  @Property({ type: new BigIntType('number') })
  position!: number;

  /** The hub instance driving the cursor, while its lease lasts. */
  @Property({ type: 'string', length: 64, nullable: true })
  leaseOwner?: string | null;

  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date | null;

  @Property({ type: 'datetime' })
  updatedAt: Opt<Date> = new Date();
}
