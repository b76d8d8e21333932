import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@caregraph/schema';
import { Field, Int, ObjectType } from 'type-graphql';
import type { RuleDefinition } from './rule-definition.js';
import { RuleKind } from './rule-kind.js';

/**
 * One version of a tenant's automation. Rules are versioned, never edited in place: a change
 * saves the next version and marks the previous one superseded, so every planned message names
 * the version that planned it (`ScheduledMessage.ruleVersion`).
 */
@ObjectType({ description: 'One version of an engagement automation of the tenant.' })
@Entity({ tableName: 'engagement_rule' })
@Unique({ properties: ['tenantId', 'key', 'version'] })
export class EngagementRule extends TenantScopedEntity {
  /** Stable across versions, e.g. `appointment-reminders`. */
  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  key!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  version!: number;

  @Field(() => RuleKind)
  @Enum({ items: () => RuleKind })
  kind!: RuleKind;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  /** What it does (`ruleDefinitionSchema`); exposed through GraphQL as its fields. */
  @Property({ type: 'json' })
  definition!: RuleDefinition;

  @Property({ type: 'uuid', nullable: true })
  createdByUserId?: string;

  /** When a later version replaced it (the current version has none). */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  supersededAt?: Date;
}
