import type { CareEventMessage } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
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
  private readonly lookups = new Map<string, { at: number; practitioners: Promise<Set<string>> }>();

  /** The practitioners on the active care teams of the event's patient (`em` on a miss only). */
  practitioners(em: () => EntityManager, event: CareEventMessage): Promise<ReadonlySet<string>> {
    const now = Date.now();
    const key = `${event.tenantId}:${event.id}`;
    const cached = this.lookups.get(key);
    if (cached && now - cached.at < AUDIENCE_TTL_MS) return cached.practitioners;
    const practitioners = careTeamPractitioners(
      em(),
      event.tenantId,
      event.patientId,
      new Date(now),
    );
    this.lookups.delete(key);
    this.lookups.set(key, { at: now, practitioners });
    // A failed lookup is not kept: the next receiver asks again.
    practitioners.catch(() => {
      if (this.lookups.get(key)?.practitioners === practitioners) this.lookups.delete(key);
    });
    this.prune(now);
    return practitioners;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.lookups) {
      if (this.lookups.size <= MAX_AUDIENCES && now - entry.at < AUDIENCE_TTL_MS) return;
      this.lookups.delete(key);
    }
  }
}
