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
  CareTeamMember,
  Consent,
  Patient,
  Task,
  type CareEventMessage,
} from '@caregraph/schema';
import type { EntityClass } from '@mikro-orm/core';
import { authenticated } from '../../context/authenticated.js';
import { Loaders } from '../../context/loaders.js';
import type { AuthenticatedContext, RequestContext } from '../../context/request-context.js';
import { ForbiddenError, NotFoundError } from '../../errors/caregraph-error.js';
import {
  PRIVACY_EVENT_TYPES,
  mayReceiveOnCareTeamFeed,
  mayReceivePatientEvent,
} from '../../security/access.js';
import { reaches } from '../../security/access-policy.js';
import { PatientAccess } from '../../security/patient-access.js';

/** The record an event is about. */
export const CareEventSubject = createUnionType({
  name: 'CareEventSubject',
  types: () => [Patient, Appointment, Task, Consent, CareTeamMember, BreakGlassSession] as const,
});

const SUBJECT_ENTITIES: Record<CareEventMessage['subject']['type'], EntityClass<{ id: string }>> = {
  Patient,
  Appointment,
  Task,
  Consent,
  CareTeamMember,
  BreakGlassSession,
};

/** An event on its way to one receiver, with loaders of its own (fresh data per event). */
class DeliveredCareEvent extends CareEvent {
  loaders!: Loaders;
}

type AcceptEvent = (access: PatientAccess, event: CareEventMessage) => Promise<boolean>;

/**
 * Follows the tenant's event stream for one subscriber and keeps only what the subscriber may
 * see, re-checked at delivery time with fresh data (a new EntityManager, loaders and access
 * decisions per event). Events the subscriber may not see are dropped silently. The context's
 * loaders and access are replaced per event, so field rules and the delivery audit see this
 * event's decisions (graphql-ws executes one event of a subscription at a time).
 */
async function* deliverAuthorised(
  ctx: AuthenticatedContext,
  accept: AcceptEvent,
  signal: AbortSignal,
): AsyncGenerator<DeliveredCareEvent> {
  for await (const message of ctx.events.subscribe(ctx.tenantId, signal)) {
    const em = ctx.em.fork({ clear: true });
    const loaders = new Loaders(em, ctx.tenantId);
    const access = new PatientAccess(em, ctx.actor, ctx.purposeOfUse);
    if (!(await accept(access, message))) continue;
    ctx.loaders = loaders;
    ctx.access = access;
    yield Object.assign(new DeliveredCareEvent(), {
      id: message.id,
      type: message.type,
      occurredAt: new Date(message.occurredAt),
      summary: message.summary,
      message,
      loaders,
    });
  }
}

/**
 * `deliverAuthorised` as an iterator that stops following the bus as soon as the subscriber
 * leaves. (An async generator waiting for the next event queues `return()` until an event it
 * may deliver arrives, so a closed subscription would otherwise keep its bus listener, and
 * keep checking every event of the tenant, indefinitely.)
 */
function authorisedEvents(
  ctx: AuthenticatedContext,
  accept: AcceptEvent,
): AsyncIterableIterator<DeliveredCareEvent> {
  const abort = new AbortController();
  const events = deliverAuthorised(ctx, accept, abort.signal);
  return {
    next: () => events.next(),
    return: (value?: unknown) => {
      abort.abort();
      return events.return(value as never);
    },
    throw: (error?: unknown) => {
      abort.abort();
      return events.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Real-time care events: the care-team feed and one patient's stream. */
@Resolver(() => CareEvent)
export class SubscriptionResolver {
  @Subscription(() => CareEvent, {
    description: 'Every event about patients on the care teams of the signed-in user.',
    subscribe: ({ context }: SubscribeResolverData<unknown, unknown, RequestContext>) => {
      return authorisedEvents(authenticated(context), mayReceiveOnCareTeamFeed);
    },
  })
  careTeamFeed(@Root() event: DeliveredCareEvent): CareEvent {
    return event;
  }

  @Subscription(() => CareEvent, {
    description: 'Events about one patient the signed-in user may see.',
    subscribe: async ({
      args,
      context,
    }: SubscribeResolverData<unknown, { patientId: string }, RequestContext>) => {
      const ctx = authenticated(context);
      const patientId = args.patientId;
      if (!(await ctx.access.mayRead(patientId, 'demographics'))) throw ForbiddenError.notAllowed();
      const patient = await ctx.em.findOne(Patient, patientId);
      if (!patient) throw NotFoundError.record('Patient', patientId);
      return authorisedEvents(
        ctx,
        async (access, event) =>
          event.patientId === patientId && mayReceivePatientEvent(access, event),
      );
    },
  })
  patientEvents(
    @Arg('patientId', () => ID) _patientId: string,
    @Root() event: DeliveredCareEvent,
  ): CareEvent {
    return event;
  }

  @Subscription(() => CareEvent, {
    description:
      'Privacy events (break-glass overrides) of the tenant, for privacy officers (admin role, purpose HCOMPL).',
    subscribe: ({ context }: SubscribeResolverData<unknown, unknown, RequestContext>) => {
      const ctx = authenticated(context);
      if (!reaches(ctx.actor, 'audit', 'read', ctx.purposeOfUse, 'tenant'))
        throw ForbiddenError.notAllowed();
      return authorisedEvents(ctx, async (access, event) => {
        if (!PRIVACY_EVENT_TYPES.includes(event.type)) return false;
        return reaches(access.actor, 'audit', 'read', access.purpose, 'tenant');
      });
    },
  })
  privacyFeed(@Root() event: DeliveredCareEvent): CareEvent {
    return event;
  }

  @FieldResolver(() => Patient, { nullable: true })
  patient(@Root() event: DeliveredCareEvent, @Ctx() context: RequestContext) {
    const loaders = event.loaders ?? authenticated(context).loaders;
    return loaders.byId(Patient).load(event.message.patientId);
  }

  @FieldResolver(() => CareEventSubject, { nullable: true, description: 'The changed record.' })
  subject(@Root() event: DeliveredCareEvent, @Ctx() context: RequestContext) {
    const loaders = event.loaders ?? authenticated(context).loaders;
    return loaders
      .byId(SUBJECT_ENTITIES[event.message.subject.type])
      .load(event.message.subject.id);
  }
}
