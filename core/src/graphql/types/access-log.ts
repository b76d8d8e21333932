import { Field, ObjectType } from 'type-graphql';
import { connectionOf } from './connection.js';

/** One access to a patient's record, as the patient sees it (accounting of disclosures). */
@ObjectType({ description: 'Who accessed the record, when, why and what.' })
export class AccessLogEntry {
  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => String, { description: 'Name of the user, or "CareGraph" for the system.' })
  accessedBy!: string;

  @Field(() => [String])
  roles!: string[];

  @Field(() => String, { nullable: true, description: 'HL7 v3 purpose of use.' })
  purposeOfUse?: string;

  @Field(() => String, { description: 'C, R, U, D or E.' })
  action!: string;

  @Field(() => String, { description: 'What was done, e.g. patient.read, appointment.book.' })
  type!: string;

  @Field(() => [String], { description: 'Data categories read.' })
  categories!: string[];

  @Field(() => Boolean, { description: 'Through an emergency override (break-glass).' })
  emergency!: boolean;
}

/** Connection of access log entries, newest first. */
export const AccessLogEntryConnection = connectionOf(AccessLogEntry);
