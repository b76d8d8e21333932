import { ArgsType, Field, ID } from 'type-graphql';
import { PageArgs } from './pagination.js';

/** Filters of the audit queries (auditEvents, auditEventBundle). */
@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  patientId?: string;

  @Field(() => ID, { nullable: true })
  actorId?: string;

  @Field(() => Date, { nullable: true })
  from?: Date;

  @Field(() => Date, { nullable: true })
  to?: Date;

  @Field(() => String, { nullable: true, description: 'C, R, U, D or E.' })
  action?: string;
}
