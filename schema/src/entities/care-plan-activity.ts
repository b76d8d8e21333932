import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../common/base-entity.js';
import { Sensitive } from '../common/sensitive.js';
import { CarePlanActivityStatus } from '../enums/workflow.js';
import { CarePlan } from './care-plan.js';

/** A planned action of a care plan (FHIR CarePlan.activity). */
@ObjectType()
@Entity()
export class CarePlanActivity extends TenantScopedEntity {
  @ManyToOne(() => CarePlan, { index: true })
  carePlan!: CarePlan;

  @Field(() => String)
  @Sensitive()
  @Property({ type: 'text' })
  description!: string;

  @Field(() => CarePlanActivityStatus)
  @Enum({ items: () => CarePlanActivityStatus })
  status: Opt<CarePlanActivityStatus> = CarePlanActivityStatus.NOT_STARTED;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  scheduledAt?: Date;
}
