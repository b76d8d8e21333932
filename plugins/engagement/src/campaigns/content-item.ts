import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { ConsentPurpose, TenantScopedEntity } from '@caregraph/schema';
import { Field, Int, ObjectType } from 'type-graphql';
import type { ValueSet } from '../care-gaps/code-matchers.js';

/** One language of a content item. */
@ObjectType('ContentTranslation')
export class ContentTranslation {
  @Field(() => String, { description: 'BCP 47 language tag.' })
  language!: string;

  @Field(() => String, { description: 'The email subject and in-app title.' })
  title!: string;

  @Field(() => String, { description: 'Plain text; may use the template placeholders.' })
  body!: string;
}

/** Codes of one system a content item is about. */
@ObjectType('ContentCodes')
export class ContentCodes {
  @Field(() => String)
  system!: string;

  @Field(() => [String])
  codes!: string[];
}

/**
 * A piece of the content library: wellness tips or education, in several languages, linked to
 * the conditions it is about (so coordinators find content for an audience). Its bodies pass the
 * minimum-PHI check of templates when saved (they are sent as the `campaign` template).
 */
@ObjectType({ description: 'Wellness or education content of the library.' })
@Entity({ tableName: 'engagement_content_item' })
export class ContentItem extends TenantScopedEntity {
  @Field(() => String, { description: 'For the library (not sent).' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => ConsentPurpose, {
    description: 'WELLNESS or MARKETING: the consent it is sent under.',
  })
  @Enum({ items: () => ConsentPurpose })
  purpose!: ConsentPurpose;

  @Field(() => [ContentTranslation])
  @Property({ type: 'json' })
  translations!: ContentTranslation[];

  @Field(() => [ContentCodes])
  @Property({ type: 'json' })
  conditions: Opt<ValueSet[]> = [];

  /** Codes of the PHI check's warnings at the last save (`PHI_SENSITIVE_TERM`, ...). */
  @Field(() => [String])
  @Property({ type: 'json' })
  phiWarnings: Opt<string[]> = [];

  @Field(() => Int)
  @Property({ type: 'integer' })
  version: Opt<number> = 1;
}
