import { CommunicationChannel } from '@caregraph/schema';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

@InputType({ description: 'A survey answer entered by staff or through the portal.' })
export class RecordSurveyResponseInput {
  @Field(() => ID)
  patientId!: string;

  @Field(() => ID, { nullable: true, description: 'The visit the answer is about.' })
  appointmentId?: string | null;

  @Field(() => Int, { description: '0 (not at all likely to recommend) to 10 (extremely likely).' })
  score!: number;

  @Field(() => String, { nullable: true })
  comment?: string | null;

  @Field(() => CommunicationChannel, { description: 'How the answer came in (phone, in-app…).' })
  channel!: CommunicationChannel;
}

@ObjectType({ description: "The Net Promoter summary of a patient's survey answers." })
export class SurveySummary {
  @Field(() => Int)
  responses!: number;

  @Field(() => Int, { description: 'Scores 9 and 10.' })
  promoters!: number;

  @Field(() => Int, { description: 'Scores 7 and 8.' })
  passives!: number;

  @Field(() => Int, { description: 'Scores 0 to 6.' })
  detractors!: number;

  @Field(() => Float, { nullable: true })
  averageScore?: number;

  @Field(() => Int, {
    nullable: true,
    description: '% promoters minus % detractors (-100 to 100).',
  })
  nps?: number;
}
