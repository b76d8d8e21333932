import type { AuthenticatedContext } from '../context/request-context.js';

/**
 * Smallest count published: smaller cells are suppressed so that no one can be singled out
 * (the CMS cell-size suppression policy publishes no count from 1 to 10).
 */
export const MIN_CELL_SIZE = 11;

/** One group of a de-identified aggregate. */
export interface AggregateCount {
  key: string;
  label?: string;
  /** Absent when suppressed. */
  count?: number;
  suppressed: boolean;
}

/** De-identified counts of the tenant's active patients. */
export interface PopulationCounts {
  patientCount?: number;
  minCellSize: number;
  genders: AggregateCount[];
  ageBands: AggregateCount[];
  conditions: AggregateCount[];
}

function suppress(key: string, count: number, label?: string): AggregateCount {
  return count >= MIN_CELL_SIZE
    ? { key, label, count, suppressed: false }
    : { key, label, suppressed: true };
}

const AGE_BANDS = `case
    when age < 18 then '0-17' when age < 35 then '18-34' when age < 50 then '35-49'
    when age < 65 then '50-64' else '65+' end`;

/**
 * Counts without identifiers for analysts: patients by gender, age band and active condition.
 * Cells under MIN_CELL_SIZE are suppressed; conditions carrying a sensitivity label are left
 * out altogether; no row-level data leaves the database.
 */
export async function populationCounts(ctx: AuthenticatedContext): Promise<PopulationCounts> {
  const connection = ctx.em.getConnection();
  const tenant = [ctx.tenantId];
  const [total] = await connection.execute<{ n: string | number }[]>(
    `select count(*) as n from patient where tenant_id = ? and active`,
    tenant,
  );
  const genders = await connection.execute<{ key: string | null; n: string | number }[]>(
    `select coalesce(gender, 'unknown') as key, count(*) as n from patient
      where tenant_id = ? and active group by 1 order by 1`,
    tenant,
  );
  const ages = await connection.execute<{ key: string; n: string | number }[]>(
    `select ${AGE_BANDS} as key, count(*) as n from (
        select extract(year from age(current_date, birth_date)) as age from patient
         where tenant_id = ? and active and birth_date is not null) a
      group by 1 order by 1`,
    tenant,
  );
  const conditions = await connection.execute<
    { key: string; label: string | null; n: string | number }[]
  >(
    `select c.code->>'code' as key, min(c.code->>'display') as label,
            count(distinct c.patient_id) as n
       from condition c join patient p on p.id = c.patient_id and p.active
      where c.tenant_id = ? and c.clinical_status in ('active', 'recurrence', 'relapse')
        and jsonb_array_length(c.security_labels) = 0
      group by 1 order by 3 desc, 1 limit 20`,
    tenant,
  );
  const totalCount = Number(total?.n ?? 0);
  return {
    patientCount: totalCount >= MIN_CELL_SIZE ? totalCount : undefined,
    minCellSize: MIN_CELL_SIZE,
    genders: genders.map((row) => suppress(row.key ?? 'unknown', Number(row.n))),
    ageBands: ages.map((row) => suppress(row.key, Number(row.n))),
    conditions: conditions.map((row) => suppress(row.key, Number(row.n), row.label ?? undefined)),
  };
}
