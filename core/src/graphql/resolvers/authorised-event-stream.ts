import { randomUUID } from 'node:crypto';
import { CareEvent, CareEventType, type CareEventMessage } from '@caregraph/schema';
import { Loaders } from '../../context/loaders.js';
import type { AuthenticatedContext } from '../../context/request-context.js';
import { BUS_GAP, QUEUE_OVERFLOW, type BusDelivery } from '../../events/event-bus.js';
import { eventsAfter, resumePosition } from '../../events/event-replay.js';
import { PatientAccess } from '../../security/patient-access.js';

/** An event on its way to one receiver, with loaders of its own (fresh data per event). */
export class DeliveredCareEvent extends CareEvent {
  loaders?: Loaders;
}

/** Decides whether one receiver may get one event (with that event's fresh access and loaders). */
export type AcceptEvent = (
  access: PatientAccess,
  event: CareEventMessage,
  loaders: Loaders,
) => Promise<boolean>;

/**
 * A cheaper check before `AcceptEvent` of replayed events (live ones were routed by the same
 * keys), without the per-event EntityManager and access: false drops the event (it must be
 * false only where `AcceptEvent` would be).
 */
export type PrefilterEvent = (event: CareEventMessage) => Promise<boolean>;

/** How a subscription is routed: its keys on the bus and the replay prefilter. */
export interface StreamRouting {
  /** Routing keys (`events/event-audience.ts`): only events sharing one wake the subscription. */
  routes?: readonly string[];
  prefilter?: PrefilterEvent;
}

/** The `Resync` event: the subscription ends; resume with `after` = its id (the last one sent). */
function resyncEvent(lastId: string | undefined): DeliveredCareEvent {
  const message: CareEventMessage = {
    id: lastId ?? randomUUID(),
    tenantId: '',
    type: CareEventType.RESYNC,
    occurredAt: new Date().toISOString(),
    patientId: '',
    summary: 'Too many events waiting: resubscribe with "after" set to the last event received.',
    subject: { type: 'Patient', id: '' },
  };
  return Object.assign(new DeliveredCareEvent(), {
    id: message.id,
    type: message.type,
    occurredAt: new Date(message.occurredAt),
    summary: message.summary,
    message,
  });
}

/**
 * Follows the tenant's events for one subscriber from `start` (an outbox position) and keeps
 * only what the subscriber may see, re-checked at delivery time with fresh data (a new
 * EntityManager, loaders and access decisions per event; the event's receiver-independent rows
 * come from its `EventSnapshot`, read once per instance); others are dropped silently. Replayed
 * and live events pass the same check. Positions at or below the last one seen are skipped:
 * an at-least-once relay gives each subscriber each event once, and replay and live events
 * meet without gap or duplicate. The context's loaders and access are replaced per event, so
 * field rules and the delivery audit see this event's decisions (graphql-ws executes one
 * event of a subscription at a time).
 */
async function* deliverAuthorised(
  ctx: AuthenticatedContext,
  accept: AcceptEvent,
  live: AsyncIterable<BusDelivery>,
  start: number,
  replay: boolean,
  prefilter?: PrefilterEvent,
): AsyncGenerator<DeliveredCareEvent> {
  let position = start;
  let lastId: string | undefined;
  async function* authorise(message: CareEventMessage, replayed = false) {
    if (message.position !== undefined) {
      if (message.position <= position) return;
      position = message.position;
    }
    if (replayed && prefilter && !(await prefilter(message))) return;
    const em = ctx.em.fork({ clear: true });
    // The event's receiver-independent rows are read once for all its receivers here.
    const snapshot = ctx.events.snapshots.of(ctx.tenantId, message.id);
    const loaders = new Loaders(em, ctx.tenantId, snapshot);
    const access = new PatientAccess(em, ctx.actor, ctx.purposeOfUse, undefined, snapshot);
    if (!(await accept(access, message, loaders))) return;
    ctx.loaders = loaders;
    ctx.access = access;
    lastId = message.id;
    yield Object.assign(new DeliveredCareEvent(), {
      id: message.id,
      type: message.type,
      occurredAt: new Date(message.occurredAt),
      summary: message.summary,
      message,
      loaders,
    });
  }
  /** Events committed after `position` (a resume, or the bus was disconnected). */
  async function* catchUp() {
    for (;;) {
      const missed = await eventsAfter(ctx.em.fork({ clear: true }), ctx.tenantId, position, 100);
      for (const message of missed) yield* authorise(message, true);
      if (missed.length < 100) return;
    }
  }
  // `resumePosition` checked that at most `replayMaxEvents` follow the cursor.
  if (replay) yield* catchUp();
  for await (const delivery of live) {
    if (delivery === QUEUE_OVERFLOW) return void (yield resyncEvent(lastId));
    if (delivery === BUS_GAP) yield* catchUp();
    else yield* authorise(delivery);
  }
}

/**
 * Opens a subscriber's authorised event stream: registers on the bus first (woken only by events
 * routed to `routing.routes`), then finds where
 * to start (`after`: a `RESYNC_REQUIRED` error when it is outside the replay window), so no
 * event committed in between is missed. The iterator stops following the bus as soon as the
 * subscriber leaves (an async generator waiting for the next event queues `return()` until an
 * event it may deliver arrives, so a closed subscription would otherwise keep its bus
 * listener indefinitely).
 */
export async function openAuthorisedStream(
  ctx: AuthenticatedContext,
  accept: AcceptEvent,
  after?: string | null,
  routing: StreamRouting = {},
): Promise<AsyncIterableIterator<DeliveredCareEvent>> {
  const abort = new AbortController();
  const live = ctx.events.subscribe(ctx.tenantId, abort.signal, routing.routes);
  let start: number;
  try {
    start = await resumePosition(ctx.em, ctx.tenantId, ctx.events.settings, after ?? undefined);
  } catch (error) {
    abort.abort();
    throw error;
  }
  const events = deliverAuthorised(ctx, accept, live, start, !!after, routing.prefilter);
  const iterator: AsyncIterableIterator<DeliveredCareEvent> = {
    next: () => events.next(),
    return: (value?: unknown) => {
      abort.abort();
      return events.return(value as never);
    },
    throw: (error?: unknown) => {
      abort.abort();
      return events.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
