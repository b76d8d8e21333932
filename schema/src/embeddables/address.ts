import { Embeddable, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';

/** A postal address (FHIR Address). */
@ObjectType()
@Embeddable()
export class Address {
  /** home | work | temp | old | billing */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  use?: string;

  @Field(() => [String])
  @Property({ type: 'json' })
  line: string[] = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  city?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  state?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  postalCode?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  country?: string;
}
