import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { CommunicationChannel, Sensitive, TenantScopedEntity } from '@caregraph/schema';
import { Field, Int, ObjectType } from 'type-graphql';

/**
 * A patient's answer to the post-visit survey (an NPS-style question): a score from 0 (not at
 * all likely to recommend) to 10 (extremely likely) and an optional comment, which is free text
 * and so encrypted at rest like other PHI (`@Sensitive()`). One per appointment (a unique key;
 * answers about no appointment are not limited): a resent webhook or a second entry by staff does not count the same visit twice.
 */
@ObjectType({ description: "A patient's answer to a post-visit satisfaction survey (0 to 10)." })
@Entity({ tableName: 'engagement_survey_response' })
@Index({ properties: ['tenantId', 'patientId', 'receivedAt'] })
@Unique({ properties: ['tenantId', 'appointmentId'] })
export class SurveyResponse extends TenantScopedEntity {
  @Field(() => String)
  @Property({ type: 'uuid' })
  patientId!: string;

  /** The visit the answer is about. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  appointmentId?: string;

  /** The survey message it answers (an SMS reply); none when staff entered it. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  scheduledMessageId?: string;

  /** `Patient` or `RelatedPerson`: who answered (a caregiver may answer for the patient). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  respondentType?: 'Patient' | 'RelatedPerson';

  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  respondentId?: string;

  /** 0 to 10: 9–10 promoters, 7–8 passives, 0–6 detractors. */
  @Field(() => Int)
  @Property({ type: 'smallint' })
  score!: number;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  comment?: string;

  /** How the answer came in: an SMS reply, or a channel staff name (phone, in-app…). */
  @Field(() => CommunicationChannel)
  @Enum({ items: () => CommunicationChannel })
  channel!: CommunicationChannel;

  /** The user who entered it (staff or the portal); none for an SMS reply. */
  @Property({ type: 'uuid', nullable: true })
  enteredByUserId?: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  receivedAt!: Date;
}
