import {
  Arg,
  createUnionType,
  Ctx,
  FieldResolver,
  ID,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import {
  Appointment,
  BreakGlassSession,
  CareEvent,
  CareEventType,
  CarePlan,
  CareTeamMember,
  CareTeamPatient,
  Communication,
  Consent,
  Encounter,
  Observation,
  Patient,
  Task,
  type CareEventMessage,
} from '@caregraph/schema';
import type { EntityClass } from '@mikro-orm/core';
import { authenticated } from '../../context/authenticated.js';
import type { RequestContext } from '../../context/request-context.js';
import { ForbiddenError, NotFoundError } from '../../errors/caregraph-error.js';
import { routeMatches } from '../../events/event-audience.js';
import {
  mayReceiveOnCareTeamFeed,
  mayReceiveOnPrivacyFeed,
  mayReceivePatientEvent,
} from '../../security/access.js';
import { reaches } from '../../security/access-policy.js';
import {
  careTeamFeedRoutes,
  patientEventsRoutes,
  PRIVACY_FEED_ROUTES,
} from '../../security/event-routing.js';
import { openAuthorisedStream, type DeliveredCareEvent } from './authorised-event-stream.js';

const AFTER_DESCRIPTION =
  'Resume after this event id (the last one received): first the events that followed it ' +
  '(within the replay window), then live ones. Outside the window: error RESYNC_REQUIRED.';

/** The entity of each subject type (the members of the `CareEventSubject` union). */
const SUBJECT_ENTITIES = {
  Patient,
  Appointment,
  Task,
  Consent,
  CareTeamMember,
  CareTeamPatient,
  BreakGlassSession,
  Encounter,
  Observation,
  CarePlan,
  Communication,
} satisfies Record<CareEventMessage['subject']['type'], EntityClass<{ id: string }>>;

/** The record an event is about. */
export const CareEventSubject = createUnionType({
  name: 'CareEventSubject',
  types: () => Object.values(SUBJECT_ENTITIES),
});

/** Real-time care events: the care-team feed and one patient's stream. */
@Resolver(() => CareEvent)
export class SubscriptionResolver {
  @Subscription(() => CareEvent, {
    description: 'Every event about patients on the care teams of the signed-in user.',
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { after?: string | null }, RequestContext>) => {
      const ctx = authenticated(context);
      const routes = careTeamFeedRoutes(ctx.actor);
      // Replayed events skip the bus: the event's shared audience lookup rules staff off the
      // patient's care teams out without a statement of their own (issue 4).
      const prefilter = async (event: CareEventMessage) =>
        routeMatches(routes, await ctx.events.audience(event));
      return openAuthorisedStream(ctx, mayReceiveOnCareTeamFeed, args.after, {
        routes,
        prefilter,
      });
    },
  })
  careTeamFeed(
    @Arg('after', () => ID, { nullable: true, description: AFTER_DESCRIPTION })
    _after: string | undefined,
    @Root() event: DeliveredCareEvent,
  ): CareEvent {
    return event;
  }

  @Subscription(() => CareEvent, {
    description: 'Events about one patient the signed-in user may see.',
    subscribe: async ({
      args,
      context,
    }: SubscribeResolverData<
      unknown,
      { patientId: string; after?: string | null },
      RequestContext
    >) => {
      const ctx = authenticated(context);
      const patientId = args.patientId;
      if (!(await ctx.access.mayRead(patientId, 'demographics'))) throw ForbiddenError.notAllowed();
      const patient = await ctx.em.findOne(Patient, patientId);
      if (!patient) throw NotFoundError.record('Patient', patientId);
      return openAuthorisedStream(
        ctx,
        async (access, event, loaders) =>
          event.patientId === patientId && mayReceivePatientEvent(access, event, loaders),
        args.after,
        { routes: patientEventsRoutes(patientId) },
      );
    },
  })
  patientEvents(
    @Arg('patientId', () => ID) _patientId: string,
    @Arg('after', () => ID, { nullable: true, description: AFTER_DESCRIPTION })
    _after: string | undefined,
    @Root() event: DeliveredCareEvent,
  ): CareEvent {
    return event;
  }

  @Subscription(() => CareEvent, {
    description:
      'Privacy events (break-glass overrides) of the tenant, for privacy officers (admin role, purpose HCOMPL).',
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { after?: string | null }, RequestContext>) => {
      const ctx = authenticated(context);
      if (!reaches(ctx.actor, 'audit', 'read', ctx.purposeOfUse, 'tenant'))
        throw ForbiddenError.notAllowed();
      return openAuthorisedStream(ctx, mayReceiveOnPrivacyFeed, args.after, {
        routes: PRIVACY_FEED_ROUTES,
      });
    },
  })
  privacyFeed(
    @Arg('after', () => ID, { nullable: true, description: AFTER_DESCRIPTION })
    _after: string | undefined,
    @Root() event: DeliveredCareEvent,
  ): CareEvent {
    return event;
  }

  @FieldResolver(() => Patient, { nullable: true })
  patient(@Root() event: DeliveredCareEvent, @Ctx() context: RequestContext) {
    if (event.type === CareEventType.RESYNC) return null;
    const loaders = event.loaders ?? authenticated(context).loaders;
    return loaders.byId(Patient).load(event.message.patientId);
  }

  @FieldResolver(() => CareEventSubject, { nullable: true, description: 'The changed record.' })
  subject(@Root() event: DeliveredCareEvent, @Ctx() context: RequestContext) {
    if (event.type === CareEventType.RESYNC) return null;
    const loaders = event.loaders ?? authenticated(context).loaders;
    const entity: EntityClass<{ id: string }> = SUBJECT_ENTITIES[event.message.subject.type];
    return loaders.byId(entity).load(event.message.subject.id);
  }
}
