import { ConsentPurpose } from '@caregraph/schema';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

/** Codes of one system; a code ending in `*` matches every code starting with its stem. */
@InputType('ContentCodesInput')
export class ContentCodesInput {
  @Field(() => String)
  system!: string;

  @Field(() => [String])
  codes!: string[];
}

@InputType('ContentTranslationInput')
export class ContentTranslationInput {
  @Field(() => String)
  language!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  body!: string;
}

@InputType('SaveContentItemInput')
export class SaveContentItemInput {
  @Field(() => ID, { nullable: true, description: 'The item to change; none: a new one.' })
  id?: string;

  @Field(() => String)
  name!: string;

  @Field(() => ConsentPurpose, { description: 'WELLNESS or MARKETING.' })
  purpose!: ConsentPurpose;

  @Field(() => [ContentTranslationInput])
  translations!: ContentTranslationInput[];

  @Field(() => [ContentCodesInput], { nullable: true, description: 'The conditions it is about.' })
  conditions?: ContentCodesInput[];
}

@InputType('CampaignAudienceInput')
export class CampaignAudienceInput {
  @Field(() => [ContentCodesInput], {
    nullable: true,
    description: 'An active condition with one of these codes.',
  })
  conditions?: ContentCodesInput[];

  @Field(() => [ContentCodesInput], {
    nullable: true,
    description: 'Care programs: an active CarePlan with one of these category codes.',
  })
  carePrograms?: ContentCodesInput[];

  @Field(() => Int, { nullable: true })
  ageMin?: number;

  @Field(() => Int, { nullable: true })
  ageMax?: number;
}

@ObjectType('CampaignAudience')
export class CampaignAudienceView {
  @Field(() => [CampaignAudienceCodes])
  conditions!: CampaignAudienceCodes[];

  @Field(() => [CampaignAudienceCodes])
  carePrograms!: CampaignAudienceCodes[];

  @Field(() => Int, { nullable: true })
  ageMin?: number;

  @Field(() => Int, { nullable: true })
  ageMax?: number;
}

@ObjectType('CampaignAudienceCodes')
export class CampaignAudienceCodes {
  @Field(() => String)
  system!: string;

  @Field(() => [String])
  codes!: string[];
}

@InputType('SaveCampaignInput')
export class SaveCampaignInput {
  @Field(() => ID, { nullable: true, description: 'The draft to change; none: a new one.' })
  id?: string;

  @Field(() => String)
  name!: string;

  @Field(() => ID)
  contentItemId!: string;

  @Field(() => CampaignAudienceInput)
  audience!: CampaignAudienceInput;
}
