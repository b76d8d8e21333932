import { LegalHold, Patient, PatientDataExport, Provenance, User } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import {
  DEFAULT_PATIENT_RIGHTS,
  type AuthenticatedContext,
} from '../../context/request-context.js';
import { ConflictError, ErasureRefusedError } from '../../errors/caregraph-error.js';
import { patientDataOf } from '../../plugins/plugin-patient-data.js';
import { write } from '../transaction.js';
import { lockPatient, requireReason } from './legal-hold-service.js';
import {
  PATIENT_RECORD_TABLES,
  patientTargetsSql,
  placeholders,
  recordIdsSql,
  withMergedRecords,
} from './patient-records.js';
import { lastClinicalActivity, retentionDecision } from './retention.js';

/** What `erasePatient` did. */
export interface ErasureOutcome {
  patientId: string;
  erasedAt: Date;
  /** Rows deleted, all tables together (tombstoned patient rows not counted). */
  deletedRecords: number;
  /** Records merged into this one earlier, tombstoned with it. */
  mergedRecordsErased: number;
}

/** Deletes every row about the patients, children first; returns how many rows went. */
async function deleteRecords(
  em: EntityManager,
  tenantId: string,
  patientIds: string[],
): Promise<number> {
  let deleted = 0;
  const targets = patientTargetsSql(em, tenantId, patientIds);
  const provenanceTable = em.getMetadata().get(Provenance).tableName;
  const provenance = await em.execute(
    `delete from "${provenanceTable}" where tenant_id = ? and target in (${targets.sql})`,
    [tenantId, ...targets.params],
    'run',
  );
  deleted += Number((provenance as { affectedRows?: number }).affectedRows ?? 0);
  deleted += await em.nativeDelete(PatientDataExport, { tenantId, patientId: { $in: patientIds } });
  const relatedIds = await em.execute<{ id: string }[]>(
    `select id from related_person where tenant_id = ? and patient_id in (${placeholders(patientIds)})`,
    [tenantId, ...patientIds],
  );
  deleted += await em.nativeDelete(User, {
    tenantId,
    $or: [
      { patient: { $in: patientIds } },
      { relatedPerson: { $in: relatedIds.map((row) => row.id) } },
    ],
  });
  for (const table of PATIENT_RECORD_TABLES) {
    const name = em.getMetadata().get(table.entity).tableName;
    const ids = recordIdsSql(em, table, tenantId, patientIds);
    const result = await em.execute(
      `delete from "${name}" where tenant_id = ? and id in (${ids.sql})`,
      [tenantId, ...ids.params],
      'run',
    );
    deleted += Number((result as { affectedRows?: number }).affectedRows ?? 0);
  }
  return deleted;
}

/** Empties a patient row down to a tombstone: id, tenant, timestamps and `erasedAt`. */
function tombstone(patient: Patient, erasedAt: Date): void {
  Object.assign(patient, {
    active: false,
    names: [],
    familySearch: '',
    givenSearch: '',
    gender: null,
    birthDate: null,
    deceased: false,
    deceasedAt: null,
    telecom: [],
    address: [],
    preferredLanguage: null,
    timeZone: null,
    replacedBy: null,
    erasedAt,
  });
}

/** Why the records must be kept, if they must: an active legal hold, then retention. */
async function refusal(
  ctx: AuthenticatedContext,
  em: EntityManager,
  patient: Patient,
  patientIds: string[],
  now: Date,
): Promise<ErasureRefusedError | undefined> {
  const holds = await em.count(LegalHold, { patient: { $in: patientIds }, releasedAt: null });
  if (holds > 0) return ErasureRefusedError.legalHold(holds);
  const settings = ctx.patientRights ?? DEFAULT_PATIENT_RIGHTS;
  const activity = [
    await lastClinicalActivity(em, ctx.tenantId, patientIds, now),
    await patientDataOf(ctx).lastClinicalActivity(ctx, em, patientIds),
  ].filter((at): at is Date => at !== undefined);
  const latest = activity.length ? new Date(Math.max(...activity.map(Number))) : undefined;
  const decision = retentionDecision(
    { birthDate: patient.birthDate, lastClinicalActivity: latest && latest > now ? now : latest },
    settings,
  );
  if (decision.erasableFrom && decision.erasableFrom > now) {
    return ErasureRefusedError.retentionPeriod(
      decision.erasableFrom.toISOString().slice(0, 10),
      decision.basis!,
      settings.retentionYears,
    );
  }
  return undefined;
}

/**
 * Erases a patient (right to erasure): refused with CONFLICT `LEGAL_HOLD` while a legal hold is
 * active, or `RETENTION_PERIOD` (with `erasableFrom`) while the law requires keeping the medical
 * records. Otherwise, in one transaction: deletes every record about the patient (and about
 * records merged into it), their login accounts, exports and provenance, lets every plugin erase
 * its own rows about them (`patientData.onErase`), and leaves the patient row as a tombstone.
 * A plugin's clinical activity (`patientData.lastClinicalActivity`) counts for retention. Refusals and erasures are both audited; the audit rows carry no PHI, and
 * the free-text reason goes to the erasure's Provenance row only.
 */
export async function erasePatient(
  ctx: AuthenticatedContext,
  patientId: string,
  reason: string,
): Promise<ErasureOutcome> {
  const text = requireReason(reason, 'reason');
  const now = new Date();
  const result = await write(ctx, async (scope) => {
    const patient = await lockPatient(scope.em, patientId);
    if (!patient.active)
      throw ConflictError.because(
        'This patient record is inactive (merged); erase the surviving record.',
        { path: ['patientId'], replacedBy: patient.replacedBy?.id },
      );
    const patientIds = await withMergedRecords(scope.em, patientId);
    const refused = await refusal(ctx, scope.em, patient, patientIds, now);
    if (refused) {
      scope.audit({
        action: 'D',
        type: 'patient.erase',
        entity: `Patient/${patientId}`,
        patientId,
        outcome: '4',
        detail: { refused: refused.details.reason },
      });
      return refused;
    }
    // The plugins first: their rows may name core records that are about to go.
    const pluginRecords = await patientDataOf(ctx).erase(ctx, scope.em, patientIds);
    const deletedRecords =
      pluginRecords + (await deleteRecords(scope.em, ctx.tenantId, patientIds));
    const merged = await scope.em.find(Patient, { id: { $in: patientIds } });
    for (const row of merged) tombstone(row, now);
    scope.audit({
      action: 'D',
      type: 'patient.erase',
      entity: `Patient/${patientId}`,
      patientId,
      detail: { deletedRecords, mergedRecordsErased: patientIds.length - 1, method: 'delete' },
    });
    scope.provenance(`Patient/${patientId}`, 'delete', text);
    return {
      patientId,
      erasedAt: now,
      deletedRecords,
      mergedRecordsErased: patientIds.length - 1,
    } satisfies ErasureOutcome;
  });
  if (result instanceof ErasureRefusedError) throw result;
  ctx.loaders.byId(Patient).clear(patientId);
  return result;
}
