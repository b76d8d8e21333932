import { z } from 'zod';
import { valueSetSchema } from '../care-gaps/code-matchers.js';
import {
  CURRENT_PATIENT_SQL,
  populationConditions,
  SqlParams,
  type Statement,
} from '../care-gaps/gap-query.js';

/**
 * Who a campaign goes to: every criterion given must hold; none given is every current patient
 * (the dispatcher still sends only to those who opted in to the campaign's purpose).
 * `carePrograms` are care-plan categories (an active CarePlan of the patient with one of these
 * `category` codes, e.g. SNOMED 698360004 "Diabetes self management plan").
 */
export const audienceFilterSchema = z
  .strictObject({
    conditions: z.array(valueSetSchema).max(20).optional(),
    carePrograms: z.array(valueSetSchema).max(20).optional(),
    ageMin: z.number().int().min(0).max(150).optional(),
    ageMax: z.number().int().min(0).max(150).optional(),
  })
  .refine((a) => a.ageMin === undefined || a.ageMax === undefined || a.ageMin <= a.ageMax, {
    message: 'ageMax must not be below ageMin',
    path: ['ageMax'],
  });

/** A validated audience filter. */
export type AudienceFilter = z.output<typeof audienceFilterSchema>;

/** Care plans that make a patient part of a care program. */
const ACTIVE_PLAN = `('active', 'on-hold')`;

function audienceWhere(filter: AudienceFilter, tenantId: string, now: Date, params: SqlParams) {
  const where = [`p.tenant_id = ${params.add(tenantId)}`, CURRENT_PATIENT_SQL];
  where.push(...populationConditions(filter, tenantId, now, params));
  if (filter.carePrograms?.length)
    where.push(`exists (select 1 from care_plan cp
        where cp.tenant_id = ${params.add(tenantId)} and cp.patient_id = p.id
          and cp.status in ${ACTIVE_PLAN} and cp.category is not null
          and exists (select 1 from jsonb_to_recordset(${params.codes(filter.carePrograms)}::jsonb)
                        as m(system text, code text, prefix boolean)
                      where cp.category->>'system' = m.system
                        and (cp.category->>'code' = m.code
                             or (m.prefix and left(cp.category->>'code', length(m.code)) = m.code))))`);
  return where;
}

/** The number of patients in the audience (the preview: a count, no PHI). */
export function audienceCountStatement(
  filter: AudienceFilter,
  tenantId: string,
  now: Date,
): Statement {
  const params = new SqlParams();
  const where = audienceWhere(filter, tenantId, now, params);
  return {
    sql: `select count(*)::int as count from patient p where ${where.join(' and ')}`,
    params: params.values,
  };
}

/** One page of the audience's patient ids after `after`, in id order. */
export function audiencePageStatement(
  filter: AudienceFilter,
  input: { tenantId: string; now: Date; after: string; limit: number },
): Statement {
  const params = new SqlParams();
  const where = audienceWhere(filter, input.tenantId, input.now, params);
  where.push(`p.id > ${params.add(input.after)}`);
  return {
    sql: `select p.id from patient p where ${where.join(' and ')} order by p.id limit ${params.add(input.limit)}`,
    params: params.values,
  };
}
