import { type Opt } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CareTeam } from './care-team.js';

/** A patient's enrolment on a care team's panel, with a period. */
@ObjectType()
@Entity()
@Index({ properties: ['careTeam', 'patient'] })
export class CareTeamPatient extends PatientOwnedEntity {
  @ManyToOne(() => CareTeam)
  careTeam!: CareTeam;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  periodStart: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  periodEnd?: Date;
}
