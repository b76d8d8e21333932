import type { EntityManager } from '@mikro-orm/sql';
import { placeholders } from './patient-records.js';

/** What the retention period of a patient's records counts from. */
export type RetentionBasis = 'LAST_CLINICAL_ACTIVITY' | 'AGE_OF_MAJORITY';

/** When a patient's records may be erased. */
export interface RetentionDecision {
  /** First instant erasure is allowed (start of a UTC day); undefined: no retention applies. */
  erasableFrom?: Date;
  basis?: RetentionBasis;
}

/** Adds whole years in UTC (29 February + 1 year = 1 March). */
export function addYears(date: Date, years: number): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

/** The start of the next UTC day, unless `date` already is the start of a day. */
function ceilToUtcDay(date: Date): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  return day.getTime() === date.getTime() ? day : new Date(day.getTime() + 86_400_000);
}

/**
 * The medical-records retention rule (see core/README.md, "Patient rights"): records are kept
 * `retentionYears` after the last clinical activity and, for a patient who was a minor, at
 * least `retentionYears` after they come of age (`majorityAge`), whichever is later. A patient
 * with no clinical activity and no birth date (a CRM contact only) has no retention period.
 */
export function retentionDecision(
  input: { birthDate?: string | null; lastClinicalActivity?: Date | null },
  settings: { retentionYears: number; retentionMajorityAge: number },
): RetentionDecision {
  const candidates: { at: Date; basis: RetentionBasis }[] = [];
  if (input.lastClinicalActivity) {
    candidates.push({
      at: addYears(input.lastClinicalActivity, settings.retentionYears),
      basis: 'LAST_CLINICAL_ACTIVITY',
    });
  }
  if (input.birthDate && input.lastClinicalActivity) {
    const majority = addYears(
      new Date(`${input.birthDate}T00:00:00Z`),
      settings.retentionMajorityAge,
    );
    // Only a patient treated as a minor is kept until majority + N years.
    if (input.lastClinicalActivity < majority) {
      candidates.push({
        at: addYears(majority, settings.retentionYears),
        basis: 'AGE_OF_MAJORITY',
      });
    }
  }
  if (candidates.length === 0) return {};
  const latest = candidates.reduce((a, b) => (b.at > a.at ? b : a));
  return { erasableFrom: ceilToUtcDay(latest.at), basis: latest.basis };
}

/**
 * SQL for each table's latest clinical activity of a patient. Dates in the future (a care plan
 * that runs until next year) count as now: the care is ongoing. Administrative records
 * (messages, tasks, consents, coverage, booked appointments) are not clinical activity.
 */
const CLINICAL_ACTIVITY: readonly { table: string; at: string; where?: string }[] = [
  { table: 'encounter', at: 'coalesce(period_end, period_start)' },
  { table: 'observation', at: 'effective_at' },
  { table: 'condition', at: 'recorded_at' },
  { table: 'medication_statement', at: 'coalesce(effective_end, effective_start, created_at)' },
  { table: 'medication_request', at: 'authored_on' },
  { table: 'allergy_intolerance', at: 'recorded_at' },
  { table: 'immunization', at: 'occurrence_at' },
  { table: 'care_plan', at: 'coalesce(period_end, period_start, created_at)' },
  { table: 'appointment', at: '"end"', where: `status in ('fulfilled', 'arrived', 'checked-in')` },
];

/** The patients' last clinical activity (capped at `now`), or undefined when there is none. */
export async function lastClinicalActivity(
  em: EntityManager,
  tenantId: string,
  patientIds: readonly string[],
  now: Date,
): Promise<Date | undefined> {
  const params: unknown[] = [];
  const selects = CLINICAL_ACTIVITY.map((source) => {
    params.push(tenantId, ...patientIds);
    const extra = source.where ? ` and ${source.where}` : '';
    return `select max(${source.at}) as at from "${source.table}"
      where tenant_id = ? and patient_id in (${placeholders(patientIds)})${extra}`;
  });
  const rows = await em.execute<{ at: Date | string | null }[]>(
    `select max(at) as at from (${selects.join(' union all ')}) activity`,
    params,
  );
  const at = rows[0]?.at;
  if (!at) return undefined;
  const date = new Date(at);
  return date > now ? now : date;
}
