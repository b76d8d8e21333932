import type { CareEventMessage } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import { RecentCache } from '../events/recent-cache.js';
import { careTeamPractitioners } from './relationship-queries.js';

/** How long one event's care-team lookup serves the instance's subscriptions. */
const AUDIENCE_TTL_MS = 1_000;
/** Lookups kept at most (the oldest go first). */
const MAX_AUDIENCES = 5_000;

/**
 * The care teams' practitioners of each event's patient, looked up once per event in this
 * instance (issue 4): the fan-out routes the event by it (`event-routing.ts`), and care-team
 * feeds replaying the event from the outbox rule receivers out by the same lookup. Asking the
 * database once per subscription made an event cost a statement per subscriber. The lookup
 * only rules receivers out; those it keeps are still authorised one by one with their own
 * fresh reads. A lookup is reused for at most `AUDIENCE_TTL_MS`: someone who joins the team
 * after an event was first looked up does not get that event (they get the next ones).
 * Membership changes need no invalidation: the cache is per event, and every later event is
 * looked up afresh.
 */
export class CareTeamAudiences {
  private readonly lookups = new RecentCache<Promise<Set<string>>>(AUDIENCE_TTL_MS, MAX_AUDIENCES);

  /** The practitioners on the active care teams of the event's patient (`em` on a miss only). */
  practitioners(em: () => EntityManager, event: CareEventMessage): Promise<ReadonlySet<string>> {
    return this.lookups.obtain(`${event.tenantId}:${event.id}`, (now) =>
      careTeamPractitioners(em(), event.tenantId, event.patientId, now),
    );
  }
}
