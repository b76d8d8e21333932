import { type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * Columns every tenant-owned record has. Subclasses add `@Entity()`; the tenant filter
 * (registered by core) restricts every query to the request's tenant.
 */
@ObjectType()
export abstract class TenantScopedEntity {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  /** Owning tenant (organization). Never exposed through GraphQL. */
  @Property({ type: 'uuid', index: true })
  tenantId!: string;

  @Field(() => Date)
  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
