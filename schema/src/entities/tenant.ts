import { type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';

/** An organization whose data is isolated from every other tenant's. */
@ObjectType()
@Entity()
export class Tenant {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  /** Short unique handle, e.g. `demo-clinic`. */
  @Field(() => String)
  @Property({ type: 'string', unique: true })
  slug!: string;

  @Field(() => String)
  @Property({ type: 'string' })
  name!: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
