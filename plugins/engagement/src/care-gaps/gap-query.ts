import { codeMatchSql, compileCodeMatchers, type ValueSet } from './code-matchers.js';
import type { CareGapRule } from './care-gap-rule.js';
import { birthDateRange, lookbackStart } from './lookback.js';

/** A parameterised statement (`?` placeholders, in text order). */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Collects parameters as the SQL text is written, left to right. */
export class SqlParams {
  readonly values: unknown[] = [];
  /** Adds a value; returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return '?';
  }
  /** Adds matchers compiled from value sets as one jsonb parameter. */
  codes(valueSets: readonly ValueSet[]): string {
    return this.add(JSON.stringify(compileCodeMatchers(valueSets)));
  }
}

/** Condition statuses that put a patient in a condition's population. */
const ACTIVE_CONDITION = `('active', 'recurrence', 'relapse')`;
const NOT_CONFIRMED = `('refuted', 'entered-in-error')`;

/** Where each kind of evidence is, its code column, its time, and which statuses count. */
const EVIDENCE_SOURCES = {
  observation: {
    table: 'observation',
    code: 'code',
    at: 'effective_at',
    statuses: `('final', 'amended', 'corrected')`,
  },
  encounter: {
    table: 'encounter',
    code: 'type',
    at: 'period_start',
    statuses: `('arrived', 'in-progress', 'finished')`,
  },
  appointment: {
    table: 'appointment',
    code: 'service_type',
    at: '"start"',
    statuses: `('pending', 'booked', 'arrived', 'checked-in', 'fulfilled')`,
  },
} as const;

/** Living, current patient records (`p`): not merged away, deceased or erased. */
export const CURRENT_PATIENT_SQL = `p.active and not p.deceased and p.replaced_by_id is null and p.erased_at is null`;

/** Age, sex and condition criteria as SQL conditions on `p`. */
export function populationConditions(
  population: {
    conditions?: readonly ValueSet[];
    ageMin?: number;
    ageMax?: number;
    sex?: string;
  },
  tenantId: string,
  now: Date,
  params: SqlParams,
): string[] {
  const conditions: string[] = [];
  const born = birthDateRange(now, population.ageMin, population.ageMax);
  if (born.from) conditions.push(`p.birth_date >= ${params.add(born.from)}::date`);
  if (born.to) conditions.push(`p.birth_date <= ${params.add(born.to)}::date`);
  if (population.sex) conditions.push(`p.gender = ${params.add(population.sex)}`);
  if (population.conditions?.length)
    conditions.push(`exists (select 1 from "condition" c
        where c.tenant_id = ${params.add(tenantId)} and c.patient_id = p.id
          and c.clinical_status in ${ACTIVE_CONDITION} and c.verification_status not in ${NOT_CONFIRMED}
          and ${codeMatchSql('c.code', params.codes(population.conditions))})`);
  return conditions;
}

/**
 * The open gaps of `rule` among the tenant's patients with ids in (`after`, `upTo`]: one row per
 * patient of the population without satisfying evidence, with the time of their latest evidence
 * (if any, however old: it names the gap's period) and a current care team of theirs (for the
 * Task). Set-based: one statement per chunk of patients.
 */
export function openGapsStatement(
  rule: CareGapRule,
  input: { tenantId: string; now: Date; after: string; upTo: string },
): Statement {
  const params = new SqlParams();
  const { tenantId, now } = input;
  const nowIso = now.toISOString();
  // Placeholders are numbered in text order: the select list, the lateral join, the filter.
  const careTeam = `(select ctp.care_team_id from care_team_patient ctp
      where ctp.tenant_id = ${params.add(tenantId)} and ctp.patient_id = p.id
        and ctp.period_start <= ${params.add(nowIso)}::timestamptz
        and (ctp.period_end is null or ctp.period_end > ${params.add(nowIso)}::timestamptz)
      order by ctp.period_start, ctp.care_team_id limit 1)`;
  const evidence = rule.evidence
    .map((item, i) => {
      const source = EVIDENCE_SOURCES[item.kind];
      return `(select max(x.${source.at}) from "${source.table}" x
          where x.tenant_id = ${params.add(tenantId)} and x.patient_id = p.id
            and x.status in ${source.statuses} and x.${source.code} is not null
            and ${codeMatchSql(`x.${source.code}`, params.codes(item.codes))}) as e${i}`;
    })
    .join(',\n      ');
  const latest = rule.evidence.map((_, i) => `ev.e${i}`).join(', ');
  const head = `select p.id as patient_id, greatest(${latest}) as last_evidence_at, ${careTeam} as care_team_id
    from patient p
    cross join lateral (select
      ${evidence}) ev`;
  const where = [
    `p.tenant_id = ${params.add(tenantId)}`,
    `p.id > ${params.add(input.after)}`,
    `p.id <= ${params.add(input.upTo)}`,
    CURRENT_PATIENT_SQL,
    ...populationConditions(rule.population, tenantId, now, params),
    `not (${rule.evidence
      .map((item, i) => {
        const since = lookbackStart(now, item.lookback).toISOString();
        return `coalesce(ev.e${i} >= ${params.add(since)}::timestamptz, false)`;
      })
      .join(' or ')})`,
  ];
  return {
    sql: `${head}\n    where ${where.join('\n      and ')}\n    order by p.id`,
    params: params.values,
  };
}

/**
 * The period of an open gap: the day of the latest evidence, however old (`none` without any).
 * A gap closed by new evidence that falls due again later is a new period, and raised again.
 */
export function gapPeriod(lastEvidenceAt: Date | string | null | undefined): string {
  if (!lastEvidenceAt) return 'none';
  return new Date(lastEvidenceAt).toISOString().slice(0, 10);
}
