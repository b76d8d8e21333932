import { CommunicationChannel, ConsentPurpose } from '@caregraph/schema';
import { Field, InputType, ObjectType } from 'type-graphql';
import { RuleKind } from '../store/rule-kind.js';

/** A rule's allowed sending hours (local times in the recipient's zone). */
@ObjectType('EngagementAllowedHours')
export class AllowedHoursView {
  @Field(() => String, { description: 'HH:MM, local.' })
  start!: string;

  @Field(() => String, { description: 'HH:MM, local.' })
  end!: string;
}

/** What a rule version does (its stored definition, as GraphQL fields). */
@ObjectType('EngagementRuleDefinition')
export class RuleDefinitionView {
  @Field(() => ConsentPurpose)
  purpose!: ConsentPurpose;

  @Field(() => String)
  templateKey!: string;

  @Field(() => [CommunicationChannel], { description: 'In order of preference.' })
  channels!: CommunicationChannel[];

  @Field(() => [String], { description: 'Reminders: ISO 8601 durations before the appointment.' })
  offsets!: string[];

  @Field(() => String, { nullable: true, description: 'Follow-ups: how long after the trigger.' })
  delay?: string;

  @Field(() => AllowedHoursView, { nullable: true })
  allowedHours?: AllowedHoursView;

  @Field(() => Boolean)
  includeCaregivers!: boolean;
}

@InputType('EngagementAllowedHoursInput')
export class AllowedHoursInput {
  @Field(() => String)
  start!: string;

  @Field(() => String)
  end!: string;
}

/** The next version of a rule (the first when `key` is new). */
@InputType()
export class SaveEngagementRuleInput {
  @Field(() => String, { description: 'Stable across versions, e.g. appointment-reminders.' })
  key!: string;

  @Field(() => RuleKind)
  kind!: RuleKind;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean;

  @Field(() => ConsentPurpose)
  purpose!: ConsentPurpose;

  @Field(() => String)
  templateKey!: string;

  @Field(() => [CommunicationChannel])
  channels!: CommunicationChannel[];

  @Field(() => [String], { nullable: true })
  offsets?: string[];

  @Field(() => String, { nullable: true })
  delay?: string;

  @Field(() => AllowedHoursInput, { nullable: true })
  allowedHours?: AllowedHoursInput;

  @Field(() => Boolean, { nullable: true })
  includeCaregivers?: boolean;
}
