import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../common/base-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { ContactPoint } from '../embeddables/contact-point.js';
import { HumanName } from '../embeddables/human-name.js';

/** A clinician or other professional who takes part in care (FHIR Practitioner). */
@ObjectType()
@Entity()
export class Practitioner extends TenantScopedEntity {
  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  @Field(() => HumanName)
  @Embedded(() => HumanName, { object: true })
  name!: HumanName;

  /** US National Provider Identifier, when the practitioner has one. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  npi?: string;

  /** Profession or specialty, e.g. SNOMED CT 309343006 "Physician". */
  @Field(() => CodedConcept, { nullable: true })
  @Embedded(() => CodedConcept, { object: true, nullable: true })
  specialty?: CodedConcept;

  @Field(() => [ContactPoint])
  @Embedded(() => ContactPoint, { array: true })
  telecom: Opt<ContactPoint[]> = [];
}
