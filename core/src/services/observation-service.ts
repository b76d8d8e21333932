import { LockMode } from '@mikro-orm/core';
import {
  CodedConcept,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
} from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import { ConflictError, NotFoundError } from '../errors/caregraph-error.js';
import { PatientAccess } from '../security/patient-access.js';
import { requireAccess } from '../security/require-access.js';
import { write, type WriteScope } from './transaction.js';

/** A numeric measurement to record (the plugin context's `observations.record` input). */
export interface RecordObservationInput {
  patientId: string;
  category: ObservationCategory;
  code: { system?: string; code?: string; display?: string };
  valueQuantity: number;
  unit: string;
  effectiveAt: Date;
}

/**
 * Records a final observation once. An observation of the same patient, category, code and
 * effective time is the same measurement (a device or interface resending it), so it is
 * returned unchanged with `created: false`. The patient's row is locked for the transaction,
 * so two concurrent deliveries of one measurement cannot both insert it.
 */
export async function recordObservation(
  ctx: AuthenticatedContext,
  input: RecordObservationInput,
  /** Runs in the same transaction when the observation is new (e.g. to emit an alert). */
  whenCreated?: (observation: Observation, scope: WriteScope) => void,
): Promise<{ observation: Observation; created: boolean }> {
  return write(ctx, async (scope) => {
    const patient = await scope.em.findOne(Patient, input.patientId, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
    });
    if (!patient) throw NotFoundError.record('Patient', input.patientId);
    if (!patient.active)
      throw ConflictError.because('This patient record is inactive (merged).', {
        path: ['input', 'patientId'],
      });
    const existing = await scope.em.findOne(Observation, {
      patient,
      category: input.category,
      code: { system: input.code.system, code: input.code.code },
      effectiveAt: input.effectiveAt,
    });
    if (existing) return { observation: existing, created: false };
    const observation = scope.em.create(Observation, {
      tenantId: ctx.tenantId,
      patient,
      status: ObservationStatus.FINAL,
      category: input.category,
      code: Object.assign(new CodedConcept(), input.code),
      valueQuantity: input.valueQuantity,
      unit: input.unit,
      effectiveAt: input.effectiveAt,
      issuedAt: new Date(),
    });
    scope.audit({
      action: 'C',
      type: 'observation.record',
      entity: `Observation/${observation.id}`,
      patientId: patient.id,
    });
    scope.provenance(`Observation/${observation.id}`, 'create');
    whenCreated?.(observation, scope);
    return { observation, created: true };
  });
}

/** Results a clinician may release to the patient: final, or amended or corrected afterwards. */
const RELEASABLE_STATUSES: readonly ObservationStatus[] = [
  ObservationStatus.FINAL,
  ObservationStatus.AMENDED,
  ObservationStatus.CORRECTED,
];

/**
 * Releases a laboratory result to the patient (`releasedToPatient`), which the portal and the
 * patient's notifications wait for (a `LabResultReleased` event, derived from the change). The
 * caller needs `clinical` write through a care relationship; a result whose labels are withheld
 * from them is not found (redaction by omission), a result that is not yet final is a conflict.
 * Releasing a released result changes nothing (no audit row, no second event).
 */
export async function releaseLabResult(
  ctx: AuthenticatedContext,
  observationId: string,
): Promise<Observation> {
  return write(ctx, async (scope) => {
    const observation = await scope.em.findOne(Observation, observationId);
    if (!observation) throw NotFoundError.record('Observation', observationId);
    const patientId = observation.patient.id;
    await requireAccess(ctx, scope.em, patientId, 'clinical', 'write');
    // On the transaction's EntityManager: PGlite has one connection, held by this transaction.
    const access = new PatientAccess(scope.em, ctx.actor, ctx.purposeOfUse, ctx.access.now);
    const withheld = await access.withheldLabels(patientId);
    if (observation.securityLabels.some((label) => withheld.includes(label)))
      throw NotFoundError.record('Observation', observationId);
    if (observation.category !== ObservationCategory.LABORATORY)
      throw ConflictError.because('Only laboratory results are released to the patient.', {
        category: observation.category,
      });
    if (!RELEASABLE_STATUSES.includes(observation.status))
      throw ConflictError.because(`The result is ${observation.status}, not final yet.`, {
        status: observation.status,
      });
    if (observation.releasedToPatient) return observation;
    observation.releasedToPatient = true;
    scope.audit({
      action: 'U',
      type: 'observation.release',
      entity: `Observation/${observation.id}`,
      patientId,
    });
    scope.provenance(`Observation/${observation.id}`, 'update', 'released to patient');
    return observation;
  });
}
