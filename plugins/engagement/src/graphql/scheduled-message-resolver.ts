import { Args, ArgsType, Ctx, Field, ID, Query, Resolver } from 'type-graphql';
import { connectionOf, isEntityId } from '@caregraph/schema';
import { keysetPage, Paged, PluginRequestError, type PluginContext } from '@caregraph/plugin-sdk';
import type { EngagementConfig } from '../config.js';
import { ScheduledMessage } from '../store/scheduled-message.js';
import { ScheduledMessageStatus } from '../store/scheduled-message-status.js';

const ScheduledMessageConnection = connectionOf(ScheduledMessage);

@ArgsType()
class PatientMessagesArgs {
  @Field(() => ID)
  patientId!: string;

  @Field(() => [ScheduledMessageStatus], {
    nullable: true,
    description: 'Only messages in these statuses (default: all).',
  })
  status?: ScheduledMessageStatus[];
}

@ArgsType()
class PatientMessagesPageArgs extends Paged(PatientMessagesArgs) {}

/**
 * A patient's planned and sent messages, soonest first, under core's rules for their
 * communications (a role that grants reading them and a care relationship, audited).
 */
@Resolver(() => ScheduledMessage)
export class ScheduledMessageResolver {
  constructor(private readonly plugin: PluginContext<EngagementConfig>) {}

  @Query(() => ScheduledMessageConnection, {
    description: "A patient's planned and sent engagement messages, soonest due first.",
  })
  async scheduledMessages(@Args() args: PatientMessagesPageArgs, @Ctx() request: unknown) {
    // Core checks ID arguments, but not the fields of an @ArgsType class.
    if (!isEntityId(args.patientId))
      throw PluginRequestError.badInput(['patientId'], 'must be an id returned by this API');
    const scope = this.plugin.asCaller(request);
    const where = {
      patientId: args.patientId,
      ...(args.status?.length ? { status: { $in: args.status } } : {}),
    };
    return keysetPage(scope, ScheduledMessage, 'dueAt', where, { ...args, order: 'asc' });
  }
}
