import { LockMode } from '@mikro-orm/core';
import { LegalHold, Patient } from '@caregraph/schema';
import type { AuthenticatedContext } from '../../context/request-context.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../errors/caregraph-error.js';
import { write } from '../transaction.js';

/** Longest accepted free-text reason (legal hold, release, erasure). */
export const MAX_REASON_LENGTH = 1000;

/** Trims a required free-text reason, or throws BAD_USER_INPUT naming `path`. */
export function requireReason(reason: string | undefined, path: string): string {
  const text = reason?.trim() ?? '';
  if (!text) throw BadUserInputError.field([path], 'must not be empty');
  if (text.length > MAX_REASON_LENGTH)
    throw BadUserInputError.field([path], `must be at most ${MAX_REASON_LENGTH} characters`);
  return text;
}

/** Locks a patient row for a rights operation; NOT_FOUND for an unknown or erased record. */
export async function lockPatient(
  em: AuthenticatedContext['em'],
  patientId: string,
): Promise<Patient> {
  const patient = await em.findOne(Patient, patientId, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!patient) throw NotFoundError.record('Patient', patientId);
  if (patient.erasedAt) throw NotFoundError.erased('Patient', patientId, patient.erasedAt);
  return patient;
}

/**
 * Places a legal hold on a patient's records: erasure is refused until it is released. The
 * patient row is locked, so a hold and an erasure of the same patient never interleave.
 */
export async function placeLegalHold(
  ctx: AuthenticatedContext,
  patientId: string,
  reason: string,
): Promise<LegalHold> {
  const text = requireReason(reason, 'reason');
  return write(ctx, async (scope) => {
    const patient = await lockPatient(scope.em, patientId);
    if (!patient.active)
      throw ConflictError.because(
        'This patient record is inactive (merged); place the hold on the surviving record.',
        { path: ['patientId'], replacedBy: patient.replacedBy?.id },
      );
    const hold = scope.em.create(LegalHold, {
      tenantId: ctx.tenantId,
      patient,
      reason: text,
      placedByUserId: ctx.actor.userId,
      placedAt: new Date(),
    });
    scope.audit({
      action: 'C',
      type: 'legal-hold.place',
      entity: `LegalHold/${hold.id}`,
      patientId,
    });
    scope.provenance(`LegalHold/${hold.id}`, 'create');
    return hold;
  });
}

/** Releases a legal hold (the row is kept with who released it, when and why). */
export async function releaseLegalHold(
  ctx: AuthenticatedContext,
  id: string,
  reason?: string,
): Promise<LegalHold> {
  const text = reason === undefined ? undefined : requireReason(reason, 'reason');
  return write(ctx, async (scope) => {
    const hold = await scope.em.findOne(LegalHold, id, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
    });
    if (!hold) throw NotFoundError.record('LegalHold', id);
    if (hold.releasedAt)
      throw ConflictError.because('This legal hold was already released.', { path: ['id'] });
    hold.releasedAt = new Date();
    hold.releasedByUserId = ctx.actor.userId;
    hold.releaseReason = text;
    scope.audit({
      action: 'U',
      type: 'legal-hold.release',
      entity: `LegalHold/${id}`,
      patientId: hold.patient.id,
    });
    scope.provenance(`LegalHold/${id}`, 'update', 'released');
    return hold;
  });
}

/** A patient's legal holds, newest first; only active ones unless `includeReleased`. */
export async function listLegalHolds(
  ctx: AuthenticatedContext,
  patientId: string,
  includeReleased = false,
): Promise<LegalHold[]> {
  return ctx.em.find(
    LegalHold,
    { patient: patientId, ...(includeReleased ? {} : { releasedAt: null }) },
    { orderBy: { placedAt: 'desc', id: 'desc' } },
  );
}
