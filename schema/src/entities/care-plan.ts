import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { CarePlanStatus } from '../enums/workflow.js';
import { Practitioner } from './practitioner.js';
import { Sensitive } from '../common/sensitive.js';

/** A plan of care with goals and activities (FHIR CarePlan). */
@ObjectType()
@Entity()
export class CarePlan extends PatientOwnedEntity {
  @Field(() => String)
  @Property({ type: 'string' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  description?: string;

  @Field(() => CarePlanStatus)
  @Enum({ items: () => CarePlanStatus })
  status: Opt<CarePlanStatus> = CarePlanStatus.ACTIVE;

  /** proposal | plan | order | option */
  @Field(() => String)
  @Property({ type: 'string' })
  intent: Opt<string> = 'plan';

  /** e.g. SNOMED CT 736285004 "Hypertension care plan". */
  @Field(() => CodedConcept, { nullable: true })
  @Embedded(() => CodedConcept, { object: true, nullable: true })
  category?: CodedConcept;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  periodStart?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  periodEnd?: Date;

  @ManyToOne(() => Practitioner, { nullable: true })
  author?: Practitioner;
}
