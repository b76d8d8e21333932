import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { connectionOf } from '@caregraph/schema';
import { Paged, PluginRequestError, type PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { messageApplier } from '../apply/index.js';
import { MessageIntake } from '../pipeline/message-intake.js';
import { IntegrationMessage } from './integration-message.js';
import { IntegrationMessageStatus } from './integration-message-status.js';
import { messageWhere, pageOfMessages, type MessageFilter } from './message-query.js';
import { auditedRead } from './audited-read.js';
import { MessageSegmentView, segmentViews } from './message-segment-view.js';
import { ignoreMessage } from './ignore-message.js';

const IntegrationMessageConnection = connectionOf(IntegrationMessage);

/** The filters of the message store lists and of bulk reprocessing. */
@ArgsType()
class MessageFilterArgs implements MessageFilter {
  @Field(() => IntegrationMessageStatus, { nullable: true })
  status?: IntegrationMessageStatus;

  @Field(() => String, { nullable: true, description: 'ADT^A01, or ADT for every trigger.' })
  type?: string;

  @Field(() => String, { nullable: true, description: 'MSH-3^MSH-4 as stored.' })
  sender?: string;

  @Field(() => Date, { nullable: true, description: 'Received at or after.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Received before.' })
  to?: Date;

  @Field(() => String, {
    nullable: true,
    description:
      'Exact match on a control id (MSH-10), a patient identifier (PID-3.1) or an error code. Message bodies are encrypted at rest and are not searched as text.',
  })
  text?: string;
}

@ArgsType()
class MessagePageArgs extends Paged(MessageFilterArgs) {}

/**
 * The message store over GraphQL, for the `admin` and `integration` roles: search, one message
 * with its raw text and segments (reads of the body are audited: it is PHI), reprocessing and
 * ignoring. Everything runs as the caller, in the caller's tenant.
 */
@Resolver(() => IntegrationMessage)
export class IntegrationMessageResolver {
  constructor(private readonly plugin: PluginContext<Hl7v2Config>) {}

  @Query(() => IntegrationMessageConnection, {
    description: 'Inbound HL7 messages, newest first.',
  })
  async integrationMessages(@Args() args: MessagePageArgs, @Ctx() request: unknown) {
    const { first, after, ...filter } = args;
    return pageOfMessages(this.plugin.asCaller(request), filter, first, after);
  }

  @Query(() => IntegrationMessage, { nullable: true })
  async integrationMessage(
    @Arg('id', () => ID) id: string,
    @Ctx() request: unknown,
  ): Promise<IntegrationMessage | null> {
    return this.plugin.asCaller(request).em.fork().findOne(IntegrationMessage, id);
  }

  @FieldResolver(() => String, { description: 'The message as received (audited read).' })
  async raw(@Root() row: IntegrationMessage, @Ctx() request: unknown): Promise<string> {
    return this.readBody(row, request);
  }

  @FieldResolver(() => [MessageSegmentView], {
    description: 'The message split into segments and fields (audited read).',
  })
  async segments(
    @Root() row: IntegrationMessage,
    @Ctx() request: unknown,
  ): Promise<MessageSegmentView[]> {
    return segmentViews(await this.readBody(row, request));
  }

  @Mutation(() => IntegrationMessage, {
    description:
      'Applies a message of the error queue (or a held one) again; on success, the messages held behind it follow.',
  })
  async reprocessIntegrationMessage(
    @Arg('id', () => ID) id: string,
    @Ctx() request: unknown,
  ): Promise<IntegrationMessage> {
    await this.own(id, request, 'reprocess');
    return new MessageIntake(this.plugin, messageApplier()).reprocess(id);
  }

  @Mutation(() => Int, {
    description:
      'Queues every message matching the filter (default: the error queue) for reprocessing, in arrival order; returns how many.',
  })
  async reprocessIntegrationMessages(
    @Args() filter: MessageFilterArgs,
    @Ctx() request: unknown,
  ): Promise<number> {
    const scope = this.plugin.asCaller(request);
    const status = filter.status ?? IntegrationMessageStatus.ERROR;
    if (status !== IntegrationMessageStatus.ERROR && status !== IntegrationMessageStatus.HELD)
      throw PluginRequestError.badInput(['status'], 'only error or held messages are reprocessed');
    const count = await scope.em.fork().count(IntegrationMessage, {
      $and: [messageWhere(scope, { ...filter, status }), { original: true }],
    });
    await scope.write(async (w) =>
      w.audit({
        action: 'E',
        type: 'hl7.reprocess.bulk',
        entity: 'IntegrationMessage',
        detail: { count },
      }),
    );
    await this.plugin.jobs.schedule(
      'reprocess',
      { filter: { ...filter, status } },
      { tenantId: scope.tenantId },
    );
    return count;
  }

  @Mutation(() => IntegrationMessage, {
    description:
      'Takes a message out of the error queue without applying it; the messages held behind it follow.',
  })
  async ignoreIntegrationMessage(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() request: unknown,
  ): Promise<IntegrationMessage> {
    if (reason.trim().length < 3)
      throw PluginRequestError.badInput(['reason'], 'must say why (at least 3 characters)');
    await this.own(id, request, 'ignore');
    return ignoreMessage(new MessageIntake(this.plugin, messageApplier()), id, reason.trim());
  }

  /** Checks the message is the caller's tenant's and audits the operator's action. */
  private async own(id: string, request: unknown, action: string): Promise<void> {
    const scope = this.plugin.asCaller(request);
    const row = await scope.em.fork().findOne(IntegrationMessage, id, { fields: ['patientId'] });
    if (!row || scope.tenantId !== this.plugin.config.tenantId)
      throw PluginRequestError.notFound('IntegrationMessage', id);
    await scope.write(async (w) =>
      w.audit({
        action: 'E',
        type: `hl7.${action}`,
        entity: `IntegrationMessage/${id}`,
        patientId: row.patientId,
      }),
    );
  }

  private readBody(row: IntegrationMessage, request: unknown): Promise<string> {
    const scope = this.plugin.asCaller(request);
    return auditedRead(scope, IntegrationMessage, row.id, 'raw', 'hl7.message.read');
  }
}
