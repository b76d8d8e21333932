import { LockMode } from '@mikro-orm/core';
import { CarePlanActivity, Patient, PatientDataExport, PatientIdentifier } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import {
  DEFAULT_PATIENT_RIGHTS,
  type AuthenticatedContext,
} from '../../context/request-context.js';
import { ConflictError, NotFoundError } from '../../errors/caregraph-error.js';
import { patientDataOf } from '../../plugins/plugin-patient-data.js';
import { write } from '../transaction.js';
import {
  PATIENT_RECORD_TABLES,
  patientTargetsSql,
  recordIdsSql,
  withMergedRecords,
} from './patient-records.js';

/** Path of the download route; the export id follows. */
export const EXPORT_DOWNLOAD_PATH = '/fhir/exports';

/** What `exportPatientData` returns. */
export interface PatientExportTicket {
  id: string;
  /** Path on this hub (same origin as `/graphql`) to GET the Bundle from, once. */
  url: string;
  expiresAt: Date;
  resourceCount: number;
}

/** Tables whose rows are not resources of their own (folded into Patient and CarePlan). */
const FOLDED = new Set<unknown>([PatientIdentifier, CarePlanActivity]);

/**
 * How many resources of the patient's own the bundle will hold (Patient records, care-team
 * enrolments, records, goals, provenance); the referenced Practitioners come on top.
 */
async function countResources(
  em: EntityManager,
  tenantId: string,
  patientIds: string[],
): Promise<number> {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const table of PATIENT_RECORD_TABLES) {
    if (FOLDED.has(table.entity)) continue;
    const ids = recordIdsSql(em, table, tenantId, patientIds);
    parts.push(`select count(*) as n from (${ids.sql}) r`);
    params.push(...ids.params);
  }
  const targets = patientTargetsSql(em, tenantId, patientIds);
  parts.push(
    `select count(*) as n from provenance where tenant_id = ? and target in (${targets.sql})`,
  );
  params.push(tenantId, ...targets.params);
  const rows = await em.execute<{ n: number | string }[]>(
    `select sum(n) as n from (${parts.join(' union all ')}) c`,
    params,
  );
  return patientIds.length + Number(rows[0]?.n ?? 0);
}

/** Loads a patient for a rights operation: NOT_FOUND when unknown or erased. */
async function existingPatient(em: EntityManager, patientId: string): Promise<Patient> {
  const patient = await em.findOne(Patient, patientId);
  if (!patient) throw NotFoundError.record('Patient', patientId);
  if (patient.erasedAt) throw NotFoundError.erased('Patient', patientId, patient.erasedAt);
  return patient;
}

/**
 * Creates a short-lived, single-use export of everything held about a patient (right of
 * access and portability) and audits the request. The Bundle itself is streamed by
 * `GET /fhir/exports/<id>` with the same bearer token.
 */
export async function createPatientExport(
  ctx: AuthenticatedContext,
  patientId: string,
): Promise<PatientExportTicket> {
  const settings = ctx.patientRights ?? DEFAULT_PATIENT_RIGHTS;
  return write(ctx, async (scope) => {
    const patient = await existingPatient(scope.em, patientId);
    if (!patient.active && patient.replacedBy)
      throw ConflictError.because(
        'This patient record was merged into another one; export the surviving record.',
        { path: ['patientId'], replacedBy: patient.replacedBy.id },
      );
    const patientIds = await withMergedRecords(scope.em, patientId);
    const resourceCount =
      (await countResources(scope.em, ctx.tenantId, patientIds)) +
      (await patientDataOf(ctx).exportCount(ctx, scope.em, patientIds));
    const ticket = scope.em.create(PatientDataExport, {
      tenantId: ctx.tenantId,
      patientId,
      requestedByUserId: ctx.actor.userId,
      expiresAt: new Date(Date.now() + settings.exportTtlMs),
      resourceCount,
    });
    scope.audit({
      action: 'E',
      type: 'patient.export.create',
      entity: `Patient/${patientId}`,
      patientId,
      detail: { exportId: ticket.id, resourceCount },
    });
    return {
      id: ticket.id,
      url: `${EXPORT_DOWNLOAD_PATH}/${ticket.id}`,
      expiresAt: ticket.expiresAt,
      resourceCount,
    };
  });
}

/** Why a download is refused. */
export type ExportClaimFailure = 'not-found' | 'gone' | 'forbidden';

/**
 * Claims an export for download: only by the user who created it, once, before it expires, and
 * only while the permission matrix still lets them export that patient for the request's purpose
 * (the patient themself; an admin with purpose HCOMPL). Marks it
 * downloaded and audits the download in one transaction, before anything is streamed.
 */
export async function claimPatientExport(
  ctx: AuthenticatedContext,
  exportId: string,
): Promise<{ patientId: string } | { failure: ExportClaimFailure }> {
  if (!/^[0-9a-f-]{36}$/i.test(exportId)) return { failure: 'not-found' };
  const found = await ctx.em.findOne(PatientDataExport, exportId);
  if (!found || found.requestedByUserId !== ctx.actor.userId) return { failure: 'not-found' };
  // The same permission as the mutation (matrix: `export` for this patient and purpose).
  // Decided before the transaction: the access checks read through the request's own manager.
  const decision = await ctx.access.decide(found.patientId, 'clinical', 'export');
  if (!decision.allowed) return { failure: 'forbidden' };
  return write(ctx, async (scope) => {
    const ticket = await scope.em.findOne(PatientDataExport, exportId, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      refresh: true,
    });
    if (!ticket || ticket.downloadedAt || ticket.expiresAt.getTime() <= Date.now())
      return { failure: 'gone' as const };
    try {
      await existingPatient(scope.em, ticket.patientId);
    } catch {
      return { failure: 'gone' as const };
    }
    ticket.downloadedAt = new Date();
    scope.audit({
      action: 'R',
      type: 'patient.export.download',
      entity: `Patient/${ticket.patientId}`,
      patientId: ticket.patientId,
      detail: { exportId },
    });
    return { patientId: ticket.patientId };
  });
}
