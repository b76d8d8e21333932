import { type Opt } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { Sensitive } from '../common/sensitive.js';
import { User } from './user.js';

/**
 * An emergency override ("break the glass"): a clinician outside the patient's care teams
 * declared a reason and got time-boxed access. Every session waits for a privacy officer's
 * review. Audited as DICOM 110127 (Emergency Override Started).
 */
@ObjectType()
@Entity()
@Index({ properties: ['tenantId', 'user', 'expiresAt'] })
@Index({ properties: ['tenantId', 'reviewedAt', 'startedAt'] })
export class BreakGlassSession extends PatientOwnedEntity {
  @ManyToOne(() => User)
  user!: User;

  /** Why the clinician needed access; shown to the privacy officer. */
  @Field(() => String)
  @Sensitive()
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  startedAt: Opt<Date> = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  reviewedAt?: Date;

  @ManyToOne(() => User, { nullable: true })
  reviewedBy?: User;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  reviewNote?: string;
}
