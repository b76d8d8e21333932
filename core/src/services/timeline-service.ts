import type { EntityClass } from '@mikro-orm/core';
import {
  Appointment,
  CarePlan,
  Communication,
  Encounter,
  Observation,
  Task,
} from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import type { Page } from '../graphql/types/connection.js';
import { decodeCursor, pageSize, toPage } from '../graphql/types/pagination.js';

/** Kinds of records on a patient's timeline, with the table and the time that places them. */
export const TIMELINE_SOURCES = [
  { kind: 'Encounter', entity: Encounter, table: 'encounter', at: 'period_start' },
  { kind: 'Appointment', entity: Appointment, table: 'appointment', at: 'start' },
  { kind: 'Observation', entity: Observation, table: 'observation', at: 'effective_at' },
  { kind: 'Communication', entity: Communication, table: 'communication', at: 'occurred_at' },
  { kind: 'Task', entity: Task, table: 'task', at: 'authored_on' },
  { kind: 'CarePlan', entity: CarePlan, table: 'care_plan', at: 'updated_at' },
] as const;

/** One timeline row: which record, and when. */
export interface TimelineRow {
  kind: (typeof TIMELINE_SOURCES)[number]['kind'];
  id: string;
  occurredAt: Date;
  item: object;
}

/**
 * A patient's timeline, newest first: encounters, appointments, results, communications, tasks
 * and care-plan changes merged by one UNION query with keyset pagination, then each record
 * loaded by id through the request's DataLoaders.
 */
export async function patientTimeline(
  ctx: AuthenticatedContext,
  patientId: string,
  page: { first?: number; after?: string },
): Promise<Page<TimelineRow>> {
  const size = pageSize(page.first);
  const cursor = decodeCursor(page.after);
  const params: unknown[] = [];
  const selects = TIMELINE_SOURCES.map((source) => {
    params.push(ctx.tenantId, patientId);
    return `select '${source.kind}' as kind, id, "${source.at}" as at from "${source.table}" where tenant_id = ? and patient_id = ?`;
  });
  let where = '';
  if (cursor) {
    where = 'where (at, id) < (?, ?)';
    params.push(String(cursor.sort), cursor.id);
  }
  params.push(size + 1);
  const rows = await ctx.em
    .getConnection()
    .execute<{ kind: TimelineRow['kind']; id: string; at: Date | string }[]>(
      `select kind, id, at from (${selects.join(' union all ')}) timeline ${where} order by at desc, id desc limit ?`,
      params,
    );
  const loaded = await Promise.all(
    rows.map(async (row) => {
      const source = TIMELINE_SOURCES.find((s) => s.kind === row.kind)!;
      const item = await ctx.loaders
        .byId(source.entity as EntityClass<{ id: string }>)
        .load(row.id);
      return { kind: row.kind, id: row.id, occurredAt: new Date(row.at), item: item! };
    }),
  );
  return toPage(
    loaded,
    size,
    (r) => ({ sort: r.occurredAt.toISOString(), id: r.id }),
    cursor !== undefined,
  );
}
