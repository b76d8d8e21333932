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
import { CLINICAL_ROLES, isSelf, mayReceivePatientEvent } from '../../security/access.js';

/** The record an event is about. */
export const CareEventSubject = createUnionType({
  name: 'CareEventSubject',
  types: () => [Patient, Appointment, Task, Consent, CareTeamMember] as const,
});

const SUBJECT_ENTITIES: Record<CareEventMessage['subject']['type'], EntityClass<{ id: string }>> = {
  Patient,
  Appointment,
  Task,
  Consent,
  CareTeamMember,
};

/** An event on its way to one receiver, with loaders of its own (fresh data per event). */
class DeliveredCareEvent extends CareEvent {
  loaders!: Loaders;
}

/**
 * Follows the tenant's event stream for one subscriber and keeps only what the subscriber may
 * see, re-checked at delivery time. Events the subscriber may not see are dropped silently.
 */
async function* deliverAuthorised(
  ctx: AuthenticatedContext,
  accept: (
    event: CareEventMessage,
    loaders: Loaders,
    em: AuthenticatedContext['em'],
  ) => Promise<boolean>,
  signal: AbortSignal,
): AsyncGenerator<DeliveredCareEvent> {
  for await (const message of ctx.events.subscribe(ctx.tenantId, signal)) {
    const em = ctx.em.fork({ clear: true });
    const loaders = new Loaders(em, ctx.tenantId);
    if (!(await accept(message, loaders, em))) continue;
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
  accept: (
    event: CareEventMessage,
    loaders: Loaders,
    em: AuthenticatedContext['em'],
  ) => Promise<boolean>,
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
      const ctx = authenticated(context);
      return authorisedEvents(ctx, (event, _loaders, em) =>
        mayReceivePatientEvent(em, ctx.actor, event.patientId),
      );
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
      const allowed =
        isSelf(ctx.actor, patientId) ||
        ctx.actor.roles.some((role) => CLINICAL_ROLES.includes(role));
      if (!allowed) throw ForbiddenError.notAllowed();
      const patient = await ctx.em.findOne(Patient, patientId);
      if (!patient) throw NotFoundError.record('Patient', patientId);
      return authorisedEvents(
        ctx,
        async (event, _loaders, em) =>
          event.patientId === patientId &&
          (isSelf(ctx.actor, patientId) ||
            (await mayReceivePatientEvent(em, ctx.actor, patientId))),
      );
    },
  })
  patientEvents(
    @Arg('patientId', () => ID) _patientId: string,
    @Root() event: DeliveredCareEvent,
  ): CareEvent {
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
