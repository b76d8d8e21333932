import type { EntityClass } from '@mikro-orm/core';
import {
  Appointment,
  CarePlan,
  Communication,
  Encounter,
  Observation,
  Task,
} from '@caregraph/schema';
import { toDate } from '../context/read-hydrator.js';
import type { AuthenticatedContext } from '../context/request-context.js';
import type { Page } from '../graphql/types/connection.js';
import { decodeCursor, pageSize, toPage } from '../graphql/types/pagination.js';
import { TimelineEntryKind } from '../graphql/types/timeline.js';
import { withoutLabelsSql } from '../security/sensitive-access.js';

/** Kinds of records on a patient's timeline, and the property whose time places them. */
export const TIMELINE_SOURCES = [
  { kind: TimelineEntryKind.ENCOUNTER, entity: Encounter, at: 'periodStart' },
  { kind: TimelineEntryKind.APPOINTMENT, entity: Appointment, at: 'start' },
  { kind: TimelineEntryKind.OBSERVATION, entity: Observation, at: 'effectiveAt' },
  { kind: TimelineEntryKind.COMMUNICATION, entity: Communication, at: 'occurredAt' },
  { kind: TimelineEntryKind.TASK, entity: Task, at: 'authoredOn' },
  { kind: TimelineEntryKind.CARE_PLAN, entity: CarePlan, at: 'updatedAt' },
] as const;

/** One timeline row: which record, and when. */
export interface TimelineRow {
  kind: TimelineEntryKind;
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
  const withheld = await ctx.access.withheldLabels(patientId);
  const selects = TIMELINE_SOURCES.map((source) => {
    const meta = ctx.em.getMetadata().get(source.entity as EntityClass<object>);
    const properties = meta.properties as Record<string, { fieldNames: string[] }>;
    const column = (property: string) => properties[property]!.fieldNames[0];
    params.push(ctx.tenantId, patientId);
    let sensitivity = '';
    if (withheld.length && properties.securityLabels) {
      const exclusion = withoutLabelsSql(withheld);
      sensitivity = ` and ${exclusion.sql}`;
      params.push(...exclusion.params);
    }
    return `select '${source.kind}' as kind, id, "${column(source.at)}" as at from "${meta.tableName}"
      where tenant_id = ? and "${column('patient')}" = ?${sensitivity}`;
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
      return { kind: row.kind, id: row.id, occurredAt: toDate(row.at)!, item: item! };
    }),
  );
  return toPage(
    loaded,
    size,
    (r) => ({ sort: r.occurredAt.toISOString(), id: r.id }),
    cursor !== undefined,
  );
}
