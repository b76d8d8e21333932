import DataLoader from 'dataloader';
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { CareTeam, CareTeamMember } from '@caregraph/schema';
import type { EventSnapshot } from '../events/event-snapshot.js';
import type { Page } from '../graphql/types/connection.js';
import { createPatientRowsLoader, type PatientRowsQuery } from './patient-rows-loader.js';
import { activeAtSql } from '../db/period-filters.js';
import { groupByKey } from './group-by-key.js';
import { hydrateForRead } from './read-hydrator.js';

type WithId = { id: string };

/**
 * Per-request DataLoaders. Each is created on first use and caches for the request only, so a
 * nested list of N patients costs one query per relation instead of N.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();

  /**
   * The request's clock. Relative filters ("upcoming") use this one instant, so the same
   * field on every patient of a list shares one DataLoader (one query), not one per millisecond.
   */
  readonly now = new Date();

  /**
   * `snapshot`: for one delivered event, the rows by id (patient, subject, …) that all of the
   * event's receivers share in this instance, read once (`events/event-snapshot.ts`).
   */
  constructor(
    private readonly em: EntityManager,
    private readonly tenantId: string,
    private readonly snapshot?: EventSnapshot,
  ) {}

  private memo<V>(key: string, create: () => DataLoader<string, V>): DataLoader<string, V> {
    let loader = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = create();
      this.cache.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }

  /**
   * Runs one hand-written SELECT and turns its rows into read-only entity instances. The caller's SQL carries
   * the tenant condition itself (as in patient-rows-loader): MikroORM's filter machinery costs
   * about 1 ms of CPU per `em.find`, most of a loader's cost (see BENCHMARKS.md, graphql-read).
   */
  private async select<T extends object>(
    entity: EntityClass<T>,
    sql: string,
    params: unknown[],
  ): Promise<T[]> {
    const rows = await this.em.getConnection().execute<Record<string, unknown>[]>(sql, params);
    return hydrateForRead(this.em, entity, rows);
  }

  /** Table and column names of a tenant-scoped entity. */
  private table(entity: EntityClass<unknown>): {
    name: string;
    column: (property: string) => string;
  } {
    const meta = this.em.getMetadata().get(entity);
    const properties = meta.properties as Record<string, { fieldNames: string[] } | undefined>;
    if (!properties.tenantId) throw new Error(`${meta.className} is not tenant-scoped`);
    return {
      name: meta.tableName,
      column: (property) => `"${properties[property]!.fieldNames[0]}"`,
    };
  }

  /** Loads entities of one type by id (undefined where none is visible). */
  byId<T extends WithId>(entity: EntityClass<T>): DataLoader<string, T | undefined> {
    return this.memo(
      `byId:${entity.name}`,
      () =>
        new DataLoader<string, T | undefined>(async (ids) => {
          const table = this.table(entity);
          const read = (batch: readonly string[]) =>
            this.em
              .getConnection()
              .execute<Record<string, unknown>[]>(
                `select * from "${table.name}" where ${table.column('tenantId')} = ? and id in (${placeholders(batch)})`,
                [this.tenantId, ...batch],
              );
          const raw = this.snapshot
            ? await this.snapshot.rowsById(table.name, ids, read)
            : await read(ids);
          const rows = hydrateForRead(this.em, entity, raw);
          const byId = new Map(rows.map((row) => [row.id, row]));
          return ids.map((id) => byId.get(id));
        }),
    );
  }

  /** Loads every row of `entity` that belongs to each patient (small, unpaged relations). */
  allByPatient<T extends WithId>(
    entity: EntityClass<T>,
    orderBy: keyof T & string,
  ): DataLoader<string, T[]> {
    return this.memo(
      `allByPatient:${entity.name}`,
      () =>
        new DataLoader<string, T[]>(async (patientIds) => {
          const table = this.table(entity);
          const rows = await this.select(
            entity,
            `select * from "${table.name}" where ${table.column('tenantId')} = ? and ${table.column('patient')} in (${placeholders(patientIds)})
            order by ${table.column(orderBy)} asc, id asc`,
            [this.tenantId, ...patientIds],
          );
          return groupByKey(
            patientIds,
            rows,
            (row) => (row as unknown as { patient: WithId }).patient.id,
          );
        }),
    );
  }

  /** One page of a patient's rows; batched across patients with the same arguments. */
  pageByPatient<T extends object>(
    name: string,
    query: PatientRowsQuery<T>,
    page: { first?: number; after?: string },
  ): DataLoader<string, Page<T>> {
    return this.memo(`page:${name}:${page.first ?? ''}:${page.after ?? ''}`, () =>
      createPatientRowsLoader(this.em, this.tenantId, query, page),
    );
  }

  /** Care teams a patient is currently enrolled on. */
  careTeamsOfPatient(): DataLoader<string, CareTeam[]> {
    return this.memo(
      'careTeamsOfPatient',
      () =>
        new DataLoader<string, CareTeam[]>(async (patientIds) => {
          const enrolment = activeAtSql('ctp', this.now);
          const rows = await this.em.getConnection().execute<Record<string, unknown>[]>(
            `select ct.*, ctp.patient_id as cg_patient_id
             from care_team_patient ctp join care_team ct on ct.id = ctp.care_team_id and ct.tenant_id = ctp.tenant_id
            where ctp.tenant_id = ? and ctp.patient_id in (${placeholders(patientIds)})
              and ${enrolment.sql}
            order by ctp.period_start asc`,
            [this.tenantId, ...patientIds, ...enrolment.params],
          );
          const teams = hydrateForRead(this.em, CareTeam, rows);
          return groupByKey(
            patientIds,
            teams,
            (_team, index) => rows[index]!.cg_patient_id as string,
          );
        }),
    );
  }

  /** Current and past members of each care team. */
  membersOfCareTeam(): DataLoader<string, CareTeamMember[]> {
    return this.memo(
      'membersOfCareTeam',
      () =>
        new DataLoader<string, CareTeamMember[]>(async (teamIds) => {
          const members = await this.select(
            CareTeamMember,
            `select * from care_team_member where tenant_id = ? and care_team_id in (${placeholders(teamIds)})
            order by period_start asc, id asc`,
            [this.tenantId, ...teamIds],
          );
          return groupByKey(teamIds, members, (member) => member.careTeam.id);
        }),
    );
  }
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
