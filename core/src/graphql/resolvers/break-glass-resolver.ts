import {
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
  registerEnumType,
} from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { BreakGlassArgs, BreakGlassSession, IsEntityId, User } from '@caregraph/schema';
import { authenticated } from '../../context/authenticated.js';
import type { RequestContext } from '../../context/request-context.js';
import {
  BreakGlassSessionStatus,
  listBreakGlassSessions,
  reviewBreakGlassSession,
  sessionStatus,
  startBreakGlass,
} from '../../services/break-glass-service.js';
import type { ConnectionShape } from '../types/connection.js';
import { BreakGlassSessionConnection } from '../types/connections.js';
import { PageArgs } from '../types/pagination.js';

registerEnumType(BreakGlassSessionStatus, { name: 'BreakGlassSessionStatus' });

@ArgsType()
class BreakGlassSessionsArgs extends PageArgs {
  @Field(() => BreakGlassSessionStatus, { nullable: true })
  status?: BreakGlassSessionStatus;
}

@ArgsType()
class ReviewBreakGlassArgs {
  @Field(() => ID)
  @IsEntityId()
  id!: string;

  @Field(() => String, { nullable: true, description: 'What the review found.' })
  @IsOptional()
  @MaxLength(2000)
  note?: string;
}

/** Emergency overrides: starting one, and the privacy officer's review list. */
@Resolver(() => BreakGlassSession)
export class BreakGlassResolver {
  @Mutation(() => BreakGlassSession, {
    description:
      'Emergency override: time-boxed access to a patient outside your care teams. Audited and reviewed by the privacy office.',
  })
  breakGlass(
    @Args(() => BreakGlassArgs) args: BreakGlassArgs,
    @Ctx() context: RequestContext,
  ): Promise<BreakGlassSession> {
    return startBreakGlass(authenticated(context), args);
  }

  @Mutation(() => BreakGlassSession, { description: 'Marks a break-glass session reviewed.' })
  reviewBreakGlassSession(
    @Args(() => ReviewBreakGlassArgs) args: ReviewBreakGlassArgs,
    @Ctx() context: RequestContext,
  ): Promise<BreakGlassSession> {
    return reviewBreakGlassSession(authenticated(context), args.id, args.note);
  }

  @Query(() => BreakGlassSessionConnection, {
    description: 'Break-glass sessions for review, newest first (admin, purpose HCOMPL).',
  })
  breakGlassSessions(
    @Args(() => BreakGlassSessionsArgs) args: BreakGlassSessionsArgs,
    @Ctx() context: RequestContext,
  ): Promise<ConnectionShape<BreakGlassSession>> {
    return listBreakGlassSessions(authenticated(context), args.status, args);
  }

  @FieldResolver(() => BreakGlassSessionStatus)
  status(@Root() session: BreakGlassSession): BreakGlassSessionStatus {
    return sessionStatus(session);
  }

  @FieldResolver(() => User, { description: 'Who broke the glass.' })
  user(@Root() session: BreakGlassSession, @Ctx() context: RequestContext) {
    return authenticated(context).loaders.byId(User).load(session.user.id);
  }

  @FieldResolver(() => User, { nullable: true })
  reviewedBy(@Root() session: BreakGlassSession, @Ctx() context: RequestContext) {
    return session.reviewedBy
      ? authenticated(context).loaders.byId(User).load(session.reviewedBy.id)
      : undefined;
  }
}
