import type { MikroORM } from '@mikro-orm/sql';
import type { Actor } from '../auth/actor.js';
import { forkForTenant } from '../db/create-orm.js';
import { withTenantScope } from '../db/tenant-scope.js';
import { ROUTE_ALL, routingKeys, type EventAudience } from '../events/event-audience.js';
import { PRIVACY_EVENT_TYPES } from './access.js';
import type { EventSnapshots } from '../events/event-snapshot.js';
import { eventCareTeam } from './care-team-audience.js';

/*
 * Audience routing (issue 4): which events can possibly be for which subscription, derived from
 * the feeds' acceptance rules (access.ts). The one rule: a subscription's keys may miss an
 * event's keys only where the feed's full check would reject the event. Every woken
 * subscription still runs that check, with fresh data.
 */

/**
 * The routing keys of an event, computed once per event per instance: privacy events go to the
 * privacy feed only; every other event to its patient (`patientEvents`, the patient user) and
 * the practitioners on the patient's active care teams at the time of the lookup (one shared
 * statement in the event's snapshot, which the receivers' delivery checks reuse:
 * `eventCareTeam`). Someone who joins a team after an event's lookup does not get that event
 * (they get the next ones).
 */
export function careEventAudience(orm: MikroORM, snapshots: EventSnapshots): EventAudience {
  return (event) =>
    withTenantScope(event.tenantId, async () => {
      if (PRIVACY_EVENT_TYPES.includes(event.type)) return new Set([routingKeys.privacy]);
      const practitioners = await eventCareTeam(
        snapshots.of(event.tenantId, event.id),
        () => forkForTenant(orm, event.tenantId),
        event.tenantId,
        event.patientId,
      );
      const keys = new Set([routingKeys.patient(event.patientId)]);
      for (const id of practitioners) keys.add(routingKeys.practitioner(id));
      return keys;
    });
}

/**
 * The keys of a `careTeamFeed` subscription. The feed accepts an event only for a personal
 * relationship to its patient (`mayReceiveOnCareTeamFeed`): a care team (staff, through their
 * practitioner record), self (the patient user's own record, compared exactly) or proxy. Proxy
 * access follows consents, which the event's audience does not look up: related persons take
 * every event. A user with none of these records is refused every event and keyed by none.
 */
export function careTeamFeedRoutes(actor: Actor): string[] {
  if (actor.relatedPersonId) return [ROUTE_ALL];
  const routes: string[] = [];
  if (actor.practitionerId) routes.push(routingKeys.practitioner(actor.practitionerId));
  if (actor.patientId) routes.push(routingKeys.patient(actor.patientId));
  return routes;
}

/**
 * The keys of `patientEvents(patientId)`: the feed accepts only events whose patient is
 * `patientId` (whatever the basis of access: care team, break-glass, tenant-wide role).
 */
export function patientEventsRoutes(patientId: string): string[] {
  return [routingKeys.patient(patientId)];
}

/** The keys of `privacyFeed`: it accepts privacy events only. */
export const PRIVACY_FEED_ROUTES: readonly string[] = [routingKeys.privacy];
