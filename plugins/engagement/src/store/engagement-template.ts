import { Entity, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@caregraph/schema';
import { Field, Int, ObjectType } from 'type-graphql';
import type { MessagePurpose, MessageTemplate } from '../templates/index.js';

/**
 * One version of a tenant's template for one key, channel and language. Versioned like the rules:
 * saving an edit adds the next version and marks the previous one superseded. The current
 * versions replace the built-in templates of the same key, channel and language.
 */
@ObjectType({ description: 'One version of a message template of the tenant.' })
@Entity({ tableName: 'engagement_template' })
@Unique({
  name: 'engagement_template_version_unique',
  properties: ['tenantId', 'key', 'channel', 'language', 'version'],
})
export class EngagementTemplate extends TenantScopedEntity {
  @Field(() => String, { description: 'What the message is, e.g. appointment-reminder.' })
  @Property({ type: 'string', length: 64 })
  key!: string;

  @Field(() => String, { description: 'sms, email, in-app, or any.' })
  @Property({ type: 'string', length: 16 })
  channel!: MessageTemplate['channel'];

  @Field(() => String, { description: 'BCP 47, e.g. es or es-MX (stored canonical).' })
  @Property({ type: 'string', length: 35 })
  language!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  version!: number;

  @Field(() => String, { description: 'care-reminders, wellness or marketing.' })
  @Property({ type: 'string', length: 32 })
  purpose!: MessagePurpose;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  subject?: string;

  @Field(() => String)
  @Property({ type: 'text' })
  text!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  html?: string;

  @Property({ type: 'uuid', nullable: true })
  createdByUserId?: string;

  /** When a later version replaced it (the current version has none). */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  supersededAt?: Date;
}

/** The template as the pure template functions read it. */
export function asMessageTemplate(row: EngagementTemplate): MessageTemplate {
  return {
    key: row.key,
    channel: row.channel,
    language: row.language,
    version: row.version,
    purpose: row.purpose,
    text: row.text,
    ...(row.subject != null ? { subject: row.subject } : {}),
    ...(row.html != null ? { html: row.html } : {}),
  };
}
