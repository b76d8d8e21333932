import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { connectionOf } from '@caregraph/schema';
import { Paged, type PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { OutboundMessage } from './outbound-message.js';
import { OutboundMessageStatus } from './outbound-message-status.js';
import { pageOfOutbound } from './outbound-query.js';
import { auditedRead } from '../store/audited-read.js';
import { retryOutboundMessage } from './outbound-retry.js';

const OutboundMessageConnection = connectionOf(OutboundMessage);

@ArgsType()
class OutboundFilterArgs {
  @Field(() => OutboundMessageStatus, {
    nullable: true,
    description: 'ERROR for the outbound error queue.',
  })
  status?: OutboundMessageStatus;

  @Field(() => String, { nullable: true, description: 'A configured destination name.' })
  destination?: string;
}

@ArgsType()
class OutboundPageArgs extends Paged(OutboundFilterArgs) {}

/**
 * The outbound queue over GraphQL, for the `admin` and `integration` roles: list (newest first),
 * read a message's text (audited: it is PHI), and retry one from the error queue. Everything
 * runs as the caller, in the caller's tenant.
 */
@Resolver(() => OutboundMessage)
export class OutboundMessageResolver {
  constructor(private readonly plugin: PluginContext<Hl7v2Config>) {}

  @Query(() => OutboundMessageConnection, {
    description: 'Outbound HL7 messages to downstream systems, newest first.',
  })
  async outboundMessages(@Args() args: OutboundPageArgs, @Ctx() request: unknown) {
    const { first, after, ...filter } = args;
    return pageOfOutbound(this.plugin.asCaller(request), filter, first, after);
  }

  @Mutation(() => OutboundMessage, {
    description:
      'Queues a message of the outbound error queue again (attempts reset; a NAKed one gets a new control id).',
  })
  async retryOutboundMessage(
    @Arg('id', () => ID) id: string,
    @Ctx() request: unknown,
  ): Promise<OutboundMessage> {
    return retryOutboundMessage(this.plugin, this.plugin.asCaller(request), id);
  }

  @FieldResolver(() => String, { description: 'The message as sent (audited read).' })
  async text(@Root() row: OutboundMessage, @Ctx() request: unknown): Promise<string> {
    const scope = this.plugin.asCaller(request);
    return auditedRead(scope, OutboundMessage, row.id, 'text', 'hl7.outbound.read');
  }
}
