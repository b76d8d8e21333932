import { type Opt } from '@mikro-orm/core';
import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';

/**
 * A legal hold on a patient's records (litigation, investigation, regulator's request): while
 * one is active (`releasedAt` unset) the records may not be erased. Holds are kept after
 * release as the record of the legal obligation; a merge moves them to the surviving patient.
 */
@ObjectType()
@Entity()
@Index({ properties: ['patient', 'releasedAt'] })
export class LegalHold extends PatientOwnedEntity {
  /** Why the records must be kept (matter or case reference); shown to administrators only. */
  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  placedByUserId!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  placedAt: Opt<Date> = new Date();

  /** Set when the hold is lifted; the row is kept. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  releasedAt?: Date;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  releasedByUserId?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  releaseReason?: string;

  /** In force: placed and not released. */
  @Field(() => Boolean)
  active(): boolean {
    return !this.releasedAt;
  }
}
