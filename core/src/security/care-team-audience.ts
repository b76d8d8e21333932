import type { EntityManager } from '@mikro-orm/sql';
import type { EventSnapshot } from '../events/event-snapshot.js';
import { careTeamPractitioners } from './relationship-queries.js';

/**
 * The practitioners on the active care teams of an event's patient, read once per event and
 * instance into the event's snapshot (issue 4): the fan-out routes the event by it
 * (`event-routing.ts`) and each receiver's delivery check takes its care-team relationship from
 * it (`PatientAccess`), so an event costs one statement for its whole audience. Snapshots are per
 * event and kept for 1 s: someone who joins a team after an event was first looked up does not
 * get that event (they get the next ones); every later event is looked up afresh.
 */
export function eventCareTeam(
  snapshot: EventSnapshot,
  em: () => EntityManager,
  tenantId: string,
  patientId: string,
): Promise<ReadonlySet<string>> {
  return snapshot.shared(`careTeamPractitioners:${patientId}`, () =>
    careTeamPractitioners(em(), tenantId, patientId, snapshot.at),
  );
}
