import DataLoader from 'dataloader';
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { decodeCursor, pageSize, toPage, type Keyset } from '../graphql/types/pagination.js';
import type { Page } from '../graphql/types/connection.js';
import { groupByKey } from './group-by-key.js';
import { hydrateForRead } from './read-hydrator.js';

/** A SQL condition on the alias `t`, with `?` placeholders. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/** How to list one kind of patient-owned row, newest (or soonest) first. */
export interface PatientRowsQuery<T> {
  entity: EntityClass<T>;
  /** Property to order by (a date or number column). Ties are broken by id. */
  orderBy: keyof T & string;
  direction: 'asc' | 'desc';
  where?: SqlCondition;
}

function sortValue(value: unknown): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

/**
 * Batches "page N of these rows for patient P" for many patients into one SQL statement
 * (a window function limits rows per patient), so a list of 50 patients costs one query per
 * relation, not 50.
 */
export function createPatientRowsLoader<T extends object>(
  em: EntityManager,
  tenantId: string,
  query: PatientRowsQuery<T>,
  page: { first?: number; after?: string },
): DataLoader<string, Page<T>> {
  const size = pageSize(page.first);
  const cursor: Keyset | undefined = decodeCursor(page.after);
  const meta = em.getMetadata().get(query.entity);
  const properties = meta.properties as Record<string, { fieldNames: string[] }>;
  const orderColumn = properties[query.orderBy].fieldNames[0];
  const patientColumn = properties.patient.fieldNames[0];
  const comparator = query.direction === 'desc' ? '<' : '>';

  return new DataLoader<string, Page<T>>(
    async (patientIds) => {
      const params: unknown[] = [tenantId, ...patientIds];
      const conditions = [
        `t.tenant_id = ?`,
        `t."${patientColumn}" in (${patientIds.map(() => '?').join(', ')})`,
      ];
      if (query.where) {
        conditions.push(`(${query.where.sql})`);
        params.push(...query.where.params);
      }
      if (cursor) {
        conditions.push(`(t."${orderColumn}", t.id) ${comparator} (?, ?)`);
        params.push(cursor.sort, cursor.id);
      }
      params.push(size + 1);
      const sql = `select * from (
          select t.*, row_number() over (
            partition by t."${patientColumn}" order by t."${orderColumn}" ${query.direction}, t.id ${query.direction}
          ) as cg_row_number
          from "${meta.tableName}" t where ${conditions.join(' and ')}
        ) ranked where cg_row_number <= ? order by cg_row_number`;
      const rows = await em.getConnection().execute<Record<string, unknown>[]>(sql, params);
      const entities = hydrateForRead(em, query.entity, rows);
      const byPatient = groupByKey(
        patientIds,
        entities,
        (_entity, index) => rows[index]![patientColumn] as string,
      );
      return byPatient.map((list) =>
        toPage(
          list,
          size,
          (row) => ({ sort: sortValue(row[query.orderBy]), id: (row as { id: string }).id }),
          cursor !== undefined,
        ),
      );
    },
    { maxBatchSize: 500 },
  );
}
