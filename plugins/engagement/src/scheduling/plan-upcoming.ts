import { AppointmentStatus } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import type { TenantScope } from '@caregraph/plugin-sdk';
import { currentRules } from '../store/rule-repository.js';
import { APPOINTMENT_RULES, longestOffset, planFromRules } from './plan-from-rules.js';
import { recipientsOf } from './recipients.js';
import { storePlanned } from './schedule-store.js';

/** How a sweep pages through the appointments. */
export interface PlanUpcomingOptions {
  /** Appointments per chunk (one transaction, one keyset page). */
  chunkSize: number;
  /** Added to the rules' longest offset: appointments that start within it are planned. */
  marginMs: number;
  /** Stops between chunks (the plugin is stopping). */
  signal?: AbortSignal;
}

/** What a sweep did. */
export interface PlanUpcomingResult {
  /** Booked or pending appointments within the horizon that were looked at. */
  appointments: number;
  /** Messages stored that were not stored before. */
  planned: number;
  chunks: number;
}

const REMINDABLE_SQL = [AppointmentStatus.BOOKED, AppointmentStatus.PENDING]
  .map((s) => `'${s}'`)
  .join(', ');
const NO_ID = '00000000-0000-0000-0000-000000000000';

interface AppointmentRow {
  id: string;
  patient_id: string;
  start: string | Date;
  status: AppointmentStatus;
}

/**
 * Plans the reminders and confirmation requests of every booked or pending appointment of the
 * tenant that starts within the rules' horizon (their longest offset plus `marginMs`) and has not
 * got them yet: for a tenant that enables the plugin with appointments already booked, or a rule
 * that gains an offset. Set-based: appointments are read a keyset page (`start`, `id`) at a time,
 * each page planned in memory and stored with `storePlanned` (`on conflict do nothing` on the
 * idempotency key), so what is stored already, by the appointment events or an earlier sweep,
 * stays as it is and a sweep run twice stores nothing twice. Each page is one transaction that
 * holds its appointments `for share`: an appointment cancelled or moved meanwhile waits for it,
 * and the event that follows cancels what the page stored (or the page sees the change first).
 */
export async function planUpcomingAppointments(
  scope: TenantScope,
  now: Date,
  options: PlanUpcomingOptions,
): Promise<PlanUpcomingResult> {
  const result: PlanUpcomingResult = { appointments: 0, planned: 0, chunks: 0 };
  const rules = await currentRules(scope.em.fork() as EntityManager, APPOINTMENT_RULES);
  const reach = longestOffset(rules);
  if (reach === 0) return result;
  const until = new Date(now.getTime() + reach + options.marginMs);
  const withCaregivers = rules.some((r) => r.definition.includeCaregivers);
  let after: { start: Date; id: string } = { start: now, id: NO_ID };
  while (!options.signal?.aborted) {
    const page = await scope.write(async (w) => {
      const em = w.em as EntityManager;
      const rows = await em.execute<AppointmentRow[]>(
        `select id, patient_id, "start", status from appointment
          where tenant_id = ? and status in (${REMINDABLE_SQL})
            and "start" > ? and "start" <= ? and ("start", id) > (?::timestamptz, ?::uuid)
          order by "start", id
          limit ?
          for share`,
        [scope.tenantId, now, until, after.start, after.id, options.chunkSize],
        'all',
      );
      const recipients = await recipientsOf(
        em,
        rows.map((r) => r.patient_id),
        withCaregivers,
      );
      const planned = rows.flatMap((row) =>
        planFromRules(
          {
            id: row.id,
            patientId: row.patient_id,
            start: new Date(row.start),
            status: row.status,
          },
          rules,
          recipients.get(row.patient_id)!,
          now,
        ),
      );
      return { rows, stored: await storePlanned(em, scope.tenantId, planned) };
    });
    result.chunks += 1;
    result.appointments += page.rows.length;
    result.planned += page.stored;
    const last = page.rows.at(-1);
    if (!last || page.rows.length < options.chunkSize) break;
    after = { start: new Date(last.start), id: last.id };
  }
  return result;
}
