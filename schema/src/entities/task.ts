import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { RequestPriority, TaskStatus } from '../enums/workflow.js';
import { CarePlan } from './care-plan.js';
import { CareTeam } from './care-team.js';
import { Practitioner } from './practitioner.js';
import { Sensitive } from '../common/sensitive.js';

/** A piece of work for a person or a team about a patient (FHIR Task). */
@ObjectType()
@Entity()
@Index({ properties: ['patient', 'authoredOn'] })
@Index({ properties: ['tenantId', 'status', 'dueAt'] })
export class Task extends PatientOwnedEntity {
  @Field(() => String)
  @Property({ type: 'string' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  description?: string;

  @Field(() => TaskStatus)
  @Enum({ items: () => TaskStatus })
  status: Opt<TaskStatus> = TaskStatus.REQUESTED;

  @Field(() => RequestPriority)
  @Enum({ items: () => RequestPriority })
  priority: Opt<RequestPriority> = RequestPriority.ROUTINE;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  dueAt?: Date;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  authoredOn: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date;

  /** Practitioner who must do it; or `ownerTeam` when the whole team may. */
  @ManyToOne(() => Practitioner, { nullable: true })
  owner?: Practitioner;

  @ManyToOne(() => CareTeam, { nullable: true })
  ownerTeam?: CareTeam;

  @ManyToOne(() => CarePlan, { nullable: true })
  carePlan?: CarePlan;

  /** User id of whoever created the task. */
  @Property({ type: 'uuid', nullable: true })
  requesterUserId?: string;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  outcome?: string;
}
