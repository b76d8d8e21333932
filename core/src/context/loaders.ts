import DataLoader from 'dataloader';
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { CareTeam, CareTeamMember, CareTeamPatient } from '@caregraph/schema';
import type { Page } from '../graphql/types/connection.js';
import { createPatientRowsLoader, type PatientRowsQuery } from './patient-rows-loader.js';

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

  constructor(
    private readonly em: EntityManager,
    private readonly tenantId: string,
  ) {}

  private memo<V>(key: string, create: () => DataLoader<string, V>): DataLoader<string, V> {
    let loader = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = create();
      this.cache.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }

  /** Loads entities of one type by id (undefined where none is visible). */
  byId<T extends WithId>(entity: EntityClass<T>): DataLoader<string, T | undefined> {
    return this.memo(`byId:${entity.name}`, () =>
      new DataLoader<string, T | undefined>(async (ids) => {
        const rows = await this.em.find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id));
      }),
    );
  }

  /** Loads every row of `entity` that belongs to each patient (small, unpaged relations). */
  allByPatient<T extends WithId>(entity: EntityClass<T>, orderBy: keyof T & string): DataLoader<string, T[]> {
    return this.memo(`allByPatient:${entity.name}`, () =>
      new DataLoader<string, T[]>(async (patientIds) => {
        const rows = await this.em.find(entity, { patient: { $in: [...patientIds] } } as unknown as FilterQuery<T>, {
          orderBy: { [orderBy]: 'asc', id: 'asc' } as never,
        });
        return patientIds.map((id) =>
          rows.filter((row) => (row as unknown as { patient: WithId }).patient.id === id),
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
    return this.memo('careTeamsOfPatient', () =>
      new DataLoader<string, CareTeam[]>(async (patientIds) => {
        const now = new Date();
        const enrolments = await this.em.find(
          CareTeamPatient,
          {
            patient: { $in: [...patientIds] },
            periodStart: { $lte: now },
            $or: [{ periodEnd: null }, { periodEnd: { $gt: now } }],
          },
          { populate: ['careTeam'], orderBy: { periodStart: 'asc' } },
        );
        return patientIds.map((id) =>
          enrolments.filter((e) => e.patient.id === id).map((e) => e.careTeam),
        );
      }),
    );
  }

  /** Current and past members of each care team. */
  membersOfCareTeam(): DataLoader<string, CareTeamMember[]> {
    return this.memo('membersOfCareTeam', () =>
      new DataLoader<string, CareTeamMember[]>(async (teamIds) => {
        const members = await this.em.find(
          CareTeamMember,
          { careTeam: { $in: [...teamIds] } },
          { orderBy: { periodStart: 'asc', id: 'asc' } },
        );
        return teamIds.map((id) => members.filter((m) => m.careTeam.id === id));
      }),
    );
  }
}
