import type { CareEventMessage } from '@caregraph/schema';

/**
 * Routing keys (issue 4): a subscription registers with the keys of the events that can
 * possibly be for it, an event carries the keys of whom it can possibly be for, and the
 * instance's fan-out wakes a subscription only when they share a key. Keys only rule
 * subscriptions out; every woken subscription still authorises the event in full.
 */
export const ROUTE_ALL = '*';

/** The keys the hub's subscriptions and event audiences use. */
export const routingKeys = {
  /** A staff user on the event patient's active care teams. */
  practitioner: (practitionerId: string) => `practitioner:${practitionerId}`,
  /** The event's patient (the patient user, `patientEvents(patientId)`). */
  patient: (patientId: string) => `patient:${patientId}`,
  /** Events for privacy officers (the privacy feed). */
  privacy: 'privacy',
} as const;

/**
 * The keys of an event, computed once per event per instance. `ROUTE_ALL` in the set wakes every
 * subscription of the tenant (what an audience that cannot tell returns).
 */
export type EventAudience = (event: CareEventMessage) => Promise<ReadonlySet<string>>;

/** Every subscription: the audience when none is injected, or when the lookup failed. */
export const EVERYONE: ReadonlySet<string> = new Set([ROUTE_ALL]);

/** Whether a subscription with `keys` can be in an event's `audience`. */
export function routeMatches(keys: readonly string[], audience: ReadonlySet<string>): boolean {
  if (audience.has(ROUTE_ALL)) return true;
  return keys.some((key) => key === ROUTE_ALL || audience.has(key));
}
