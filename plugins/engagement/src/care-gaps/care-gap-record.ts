import { type Opt } from '@mikro-orm/core';
import { Entity, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@caregraph/schema';
import { Field, ObjectType } from 'type-graphql';

/**
 * A care gap the sweep raised for a patient: one per patient, gap rule and period (the day of
 * the latest evidence, or `none`), so sweeping again raises nothing new; it names the Task it
 * raised. Closed when evidence arrives (or the patient leaves the population).
 */
@ObjectType('CareGap', {
  description: 'A care gap of a patient: preventive care or a check that is due.',
})
@Entity({ tableName: 'engagement_care_gap' })
@Unique({ properties: ['tenantId', 'patientId', 'gapKey', 'period'] })
@Index({ properties: ['tenantId', 'gapKey', 'status', 'patientId'] })
export class CareGapRecord extends TenantScopedEntity {
  @Field(() => String)
  @Property({ type: 'uuid' })
  patientId!: string;

  /** The gap rule's key, e.g. `hba1c-diabetes`. */
  @Field(() => String)
  @Property({ type: 'string', length: 48 })
  gapKey!: string;

  /** The day of the latest evidence when the gap was raised (`YYYY-MM-DD`), or `none`. */
  @Field(() => String)
  @Property({ type: 'string', length: 16 })
  period!: string;

  /** `open` or `closed`. */
  @Field(() => String)
  @Property({ type: 'string', length: 16 })
  status: Opt<'open' | 'closed'> = 'open';

  @Field(() => Date)
  @Property({ type: 'datetime' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  lastEvidenceAt?: Date;

  /** The care team's Task. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  taskId?: string;
}
