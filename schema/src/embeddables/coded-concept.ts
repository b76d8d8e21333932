import { Embeddable, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';

/**
 * A code from a terminology (FHIR Coding / CodeableConcept with one coding): LOINC for
 * observations, SNOMED CT for conditions, RxNorm for medications, and so on.
 */
@ObjectType()
@Embeddable()
export class CodedConcept {
  /** Terminology URI, e.g. `http://loinc.org`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  system?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  code?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  display?: string;
}
