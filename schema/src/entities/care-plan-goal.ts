import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { TenantScopedEntity } from '../common/base-entity.js';
import { Sensitive } from '../common/sensitive.js';
import { GoalLifecycleStatus } from '../enums/workflow.js';
import { CarePlan } from './care-plan.js';

/** A goal of a care plan (FHIR Goal). */
@ObjectType()
@Entity()
export class CarePlanGoal extends TenantScopedEntity {
  @ManyToOne(() => CarePlan, { index: true })
  carePlan!: CarePlan;

  @Field(() => String)
  @Sensitive()
  @Property({ type: 'text' })
  description!: string;

  @Field(() => GoalLifecycleStatus)
  @Enum({ items: () => GoalLifecycleStatus })
  lifecycleStatus: Opt<GoalLifecycleStatus> = GoalLifecycleStatus.ACTIVE;

  /** Measurable target, e.g. "HbA1c < 7%". */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  target?: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  dueDate?: string;

  /** in-progress | improving | worsening | no-change | achieved | not-achieved */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  achievementStatus?: string;
}
