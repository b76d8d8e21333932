import {
  Appointment,
  CarePlan,
  Communication,
  Encounter,
  Observation,
  Task,
} from '@caregraph/schema';
import { createUnionType, Field, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from './connection.js';

/** What kind of record a timeline entry is. */
export enum TimelineEntryKind {
  ENCOUNTER = 'Encounter',
  APPOINTMENT = 'Appointment',
  OBSERVATION = 'Observation',
  COMMUNICATION = 'Communication',
  TASK = 'Task',
  CARE_PLAN = 'CarePlan',
}
registerEnumType(TimelineEntryKind, { name: 'TimelineEntryKind' });

/** Any record that can appear on a patient's timeline. */
export const TimelineItem = createUnionType({
  name: 'TimelineItem',
  types: () => [Encounter, Appointment, Observation, Communication, Task, CarePlan] as const,
});

/** One entry of a patient's timeline. */
@ObjectType()
export class TimelineEntry {
  @Field(() => TimelineEntryKind)
  kind!: TimelineEntryKind;

  @Field(() => Date, { description: 'When it happened (or, for appointments, is due).' })
  occurredAt!: Date;

  @Field(() => TimelineItem)
  item!: typeof TimelineItem;
}

/** Connection of timeline entries, newest first. */
export const TimelineEntryConnection = connectionOf(TimelineEntry);
