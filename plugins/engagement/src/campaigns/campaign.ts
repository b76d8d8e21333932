import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@caregraph/schema';
import { Field, Int, ObjectType } from 'type-graphql';
import type { AudienceFilter } from './audience-filter.js';
import { CampaignStatus } from './campaign-status.js';

/**
 * A campaign: one content item to an audience chosen by filter, launched at a time. Launching
 * plans one message per audience patient (`Campaign/<id>` is what they are about).
 */
@ObjectType({ description: 'Wellness or education content sent to an audience.' })
@Entity({ tableName: 'engagement_campaign' })
@Index({ properties: ['tenantId', 'status'] })
export class Campaign extends TenantScopedEntity {
  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String)
  @Property({ type: 'uuid' })
  contentItemId!: string;

  /** The audience filter (`audienceFilterSchema`); GraphQL shows it as `audience`. */
  @Property({ type: 'json' })
  audienceFilter!: AudienceFilter;

  @Field(() => CampaignStatus)
  @Enum({ items: () => CampaignStatus })
  status: Opt<CampaignStatus> = CampaignStatus.DRAFT;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  scheduledAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  launchedAt?: Date;

  /** Messages planned at launch (audience patients; those without consent are skipped at send). */
  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  plannedCount?: number;

  @Property({ type: 'uuid', nullable: true })
  createdByUserId?: string;
}
