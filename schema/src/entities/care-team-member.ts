import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../common/base-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { CareTeam } from './care-team.js';
import { Practitioner } from './practitioner.js';

/** A practitioner's participation in a care team, with a role and a period. */
@ObjectType()
@Entity()
@Index({ properties: ['practitioner', 'careTeam'] })
export class CareTeamMember extends TenantScopedEntity {
  @ManyToOne(() => CareTeam, { index: true })
  careTeam!: CareTeam;

  @ManyToOne(() => Practitioner)
  practitioner!: Practitioner;

  /** SNOMED CT role, e.g. 446050000 "Primary care physician", 224535009 "Registered nurse". */
  @Field(() => CodedConcept)
  @Embedded(() => CodedConcept, { object: true })
  role!: CodedConcept;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  periodStart: Opt<Date> = new Date();

  /** Set when the member leaves the team; the row is kept for history. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  periodEnd?: Date;

  /** Active when the period has started and not ended. */
  @Field(() => Boolean)
  active(): boolean {
    const now = Date.now();
    return this.periodStart.getTime() <= now && (!this.periodEnd || this.periodEnd.getTime() > now);
  }
}
