import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { Sensitive } from '../common/sensitive.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import {
  AllergyClinicalStatus,
  AllergyCriticality,
  VerificationStatus,
} from '../enums/clinical.js';

/** An allergy or intolerance (FHIR AllergyIntolerance). */
@ObjectType()
@Entity()
export class AllergyIntolerance extends PatientOwnedEntity {
  @Field(() => CodedConcept)
  @Embedded(() => CodedConcept, { object: true })
  code!: CodedConcept;

  @Field(() => AllergyClinicalStatus)
  @Enum({ items: () => AllergyClinicalStatus })
  clinicalStatus: Opt<AllergyClinicalStatus> = AllergyClinicalStatus.ACTIVE;

  @Field(() => VerificationStatus)
  @Enum({ items: () => VerificationStatus })
  verificationStatus: Opt<VerificationStatus> = VerificationStatus.CONFIRMED;

  /** allergy | intolerance */
  @Field(() => String)
  @Property({ type: 'string' })
  type: Opt<string> = 'allergy';

  /** food | medication | environment | biologic */
  @Field(() => String)
  @Property({ type: 'string' })
  category!: string;

  @Field(() => AllergyCriticality, { nullable: true })
  @Enum({ items: () => AllergyCriticality, nullable: true })
  criticality?: AllergyCriticality;

  /** Manifestation, e.g. "hives". */
  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  reaction?: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  onsetDate?: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  recordedAt: Opt<Date> = new Date();
}
