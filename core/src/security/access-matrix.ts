import { Role } from '@caregraph/schema';
import type { PurposeOfUse } from '../context/request-context.js';

/**
 * The permission matrix: who may do what with which category of a patient's data, for which
 * purpose of use, and over which patients. `docs/security.md` is generated from this table
 * (`npm run docs:security`) and a test fails when the two differ; the graphql-shield rules are
 * built from it (permissions.ts), and the authorization matrix suite asserts it over GraphQL.
 */

/** Categories of patient data (the unit of authorization and of read auditing). */
export const DATA_CATEGORIES = [
  'demographics',
  'contact',
  'scheduling',
  'careRelations',
  'clinical',
  'sensitiveClinical',
  'coverage',
  'communications',
  'audit',
  'aggregates',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** What the data is needed for. */
export const ACCESS_ACTIONS = ['read', 'write', 'export'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/**
 * Over which patients a grant holds: any patient of the tenant; patients on whose care teams
 * the user's practitioner is an active member (or with an active break-glass session); the
 * user themself; patients who gave the user (a related person) an active proxy consent.
 */
export const ACCESS_SCOPES = ['tenant', 'careTeam', 'self', 'proxy'] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];

/** Who a grant is for: a role, or `proxy` (a related-person account). */
export type Principal = Role | 'proxy';

/** One cell of the matrix. */
export interface Grant {
  scope: AccessScope;
  purposes: readonly PurposeOfUse[];
}

type Cells = Partial<Record<DataCategory, Partial<Record<AccessAction, Grant>>>>;

const CARE: readonly PurposeOfUse[] = ['TREAT', 'ETREAT'];
const CARE_AND_OPS: readonly PurposeOfUse[] = ['TREAT', 'ETREAT', 'HOPERAT'];
const OPS: readonly PurposeOfUse[] = ['TREAT', 'HOPERAT'];
const PORTAL: readonly PurposeOfUse[] = ['TREAT', 'PATRQT'];

const tenant = (...purposes: PurposeOfUse[]): Grant => ({ scope: 'tenant', purposes });
const team = (...purposes: PurposeOfUse[]): Grant => ({ scope: 'careTeam', purposes });
const self = (...purposes: PurposeOfUse[]): Grant => ({ scope: 'self', purposes });
const proxy = (...purposes: PurposeOfUse[]): Grant => ({ scope: 'proxy', purposes });

/** Clinicians: demographics across the tenant, everything else through a care relationship. */
function clinician(options: { sensitive: boolean }): Cells {
  return {
    demographics: {
      read: tenant(...CARE_AND_OPS, 'HPAYMT'),
      write: team(...CARE_AND_OPS),
    },
    contact: { read: team(...CARE_AND_OPS), write: team(...CARE_AND_OPS) },
    scheduling: { read: team(...CARE_AND_OPS), write: team(...CARE_AND_OPS) },
    careRelations: { read: team(...CARE_AND_OPS), write: team(...CARE) },
    clinical: { read: team(...CARE), write: team(...CARE) },
    ...(options.sensitive ? { sensitiveClinical: { read: team(...CARE) } } : {}),
    coverage: { read: team('TREAT', 'HPAYMT') },
    communications: { read: team(...CARE) },
  };
}

/** Adds `export` of every listed category to a principal's cells. */
function withExport(cells: Cells, grant: Grant, categories: readonly DataCategory[]): Cells {
  const merged: Cells = { ...cells };
  for (const category of categories) merged[category] = { ...merged[category], export: grant };
  return merged;
}

/** What a patient data export (access and portability) can contain: the record itself. */
const RECORD_CATEGORIES: readonly DataCategory[] = DATA_CATEGORIES.filter(
  (category) => category !== 'audit' && category !== 'aggregates',
);

/** The matrix itself. A missing cell is a denial. */
const BASE_MATRIX: Readonly<Record<Principal, Cells>> = {
  [Role.ADMIN]: {
    demographics: {
      read: tenant('TREAT', 'HOPERAT', 'HSYSADMIN', 'HCOMPL'),
      write: tenant('TREAT', 'HOPERAT', 'HSYSADMIN'),
    },
    careRelations: {
      read: tenant('TREAT', 'HOPERAT', 'HSYSADMIN'),
      write: tenant('TREAT', 'HOPERAT', 'HSYSADMIN'),
    },
    audit: { read: tenant('HCOMPL'), write: tenant('HCOMPL') },
    aggregates: { read: tenant('HOPERAT') },
  },
  [Role.PHYSICIAN]: clinician({ sensitive: true }),
  [Role.NURSE]: clinician({ sensitive: true }),
  [Role.CARE_COORDINATOR]: clinician({ sensitive: false }),
  [Role.FRONT_DESK]: {
    demographics: { read: tenant(...OPS, 'HPAYMT'), write: tenant(...OPS) },
    contact: { read: tenant(...OPS), write: tenant(...OPS) },
    scheduling: { read: tenant(...OPS), write: tenant(...OPS) },
    careRelations: { write: tenant(...OPS) },
  },
  [Role.BILLING]: {
    demographics: { read: tenant('HPAYMT', 'TREAT', 'HOPERAT') },
    coverage: { read: tenant('HPAYMT', 'TREAT', 'HOPERAT') },
  },
  [Role.ANALYST]: {
    aggregates: { read: tenant('HRESCH', 'HOPERAT') },
  },
  [Role.INTEGRATION]: {
    demographics: { read: tenant(...OPS), write: tenant(...OPS) },
    contact: { read: tenant(...OPS), write: tenant(...OPS) },
    scheduling: { write: tenant(...OPS) },
  },
  [Role.PATIENT]: {
    demographics: { read: self(...PORTAL) },
    contact: { read: self(...PORTAL) },
    scheduling: { read: self(...PORTAL) },
    careRelations: { read: self(...PORTAL), write: self(...PORTAL) },
    clinical: { read: self(...PORTAL) },
    sensitiveClinical: { read: self(...PORTAL) },
    coverage: { read: self(...PORTAL) },
    communications: { read: self(...PORTAL) },
    audit: { read: self(...PORTAL) },
  },
  proxy: {
    demographics: { read: proxy(...PORTAL) },
    contact: { read: proxy(...PORTAL) },
    scheduling: { read: proxy(...PORTAL) },
    careRelations: { read: proxy(...PORTAL) },
    clinical: { read: proxy(...PORTAL) },
    coverage: { read: proxy(...PORTAL) },
    communications: { read: proxy(...PORTAL) },
  },
};

/**
 * The matrix with exports: a patient exports their own record; a privacy officer (admin, for
 * compliance) exports a record to answer a patient's access request.
 */
export const ACCESS_MATRIX: Readonly<Record<Principal, Cells>> = {
  ...BASE_MATRIX,
  [Role.ADMIN]: withExport(BASE_MATRIX[Role.ADMIN], tenant('HCOMPL'), RECORD_CATEGORIES),
  [Role.PATIENT]: withExport(BASE_MATRIX[Role.PATIENT], self(...PORTAL), RECORD_CATEGORIES),
};

/** Every principal, in the order of the documentation. */
export const PRINCIPALS: readonly Principal[] = [...Object.values(Role), 'proxy'];

/** The grant of one cell, if any. */
export function grantOf(
  principal: Principal,
  category: DataCategory,
  action: AccessAction,
): Grant | undefined {
  return ACCESS_MATRIX[principal][category]?.[action];
}
