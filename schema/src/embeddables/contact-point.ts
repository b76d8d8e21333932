import { Embeddable, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { ContactPointSystem, ContactPointUse } from '../enums/contact.js';

/** A phone number, e-mail address or other channel (FHIR ContactPoint), with verification. */
@ObjectType()
@Embeddable()
export class ContactPoint {
  @Field(() => ContactPointSystem)
  @Property({ type: 'string' })
  system!: ContactPointSystem;

  @Field(() => String)
  @Property({ type: 'string' })
  value!: string;

  @Field(() => ContactPointUse, { nullable: true })
  @Property({ type: 'string', nullable: true })
  use?: ContactPointUse;

  /** Preference order, 1 = highest. */
  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  rank?: number;

  /** When the patient proved control of this channel (e.g. answered a code); null = unverified. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  verifiedAt?: Date;
}
