import { Embeddable, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';

/** A person's name (FHIR HumanName). */
@ObjectType()
@Embeddable()
export class HumanName {
  /** usual | official | temp | nickname | anonymous | old | maiden */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  use?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  family?: string;

  @Field(() => [String])
  @Property({ type: 'json' })
  given: string[] = [];

  @Field(() => [String])
  @Property({ type: 'json' })
  prefix: string[] = [];

  @Field(() => [String])
  @Property({ type: 'json' })
  suffix: string[] = [];

  /** Display form, e.g. "Dr. Ana María López". */
  @Field(() => String)
  text(): string {
    return [...this.prefix, ...this.given, this.family, ...this.suffix].filter(Boolean).join(' ');
  }
}
