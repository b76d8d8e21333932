import {
  Consent,
  ConsentDecision,
  ConsentStatus,
  Patient,
  RelatedPerson,
  type RecordConsentInput,
} from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors/caregraph-error.js';
import { write } from './transaction.js';
import { requireAccess } from '../security/require-access.js';

/** Records a consent (permit or deny) the patient gave. */
export async function recordConsent(
  ctx: AuthenticatedContext,
  input: RecordConsentInput,
): Promise<Consent> {
  const periodStart = input.periodStart ?? new Date();
  if (input.periodEnd && input.periodEnd <= periodStart) {
    throw BadUserInputError.field(
      ['input', 'periodEnd'],
      'must be after periodStart (default: now)',
    );
  }
  return write(ctx, async (scope) => {
    const patient = await scope.em.findOne(Patient, input.patientId);
    if (!patient) throw NotFoundError.record('Patient', input.patientId);
    if (!patient.active)
      throw ConflictError.because('This patient record is inactive (merged).', {
        path: ['input', 'patientId'],
      });
    let grantee: RelatedPerson | undefined;
    if (input.granteeRelatedPersonId) {
      grantee =
        (await scope.em.findOne(RelatedPerson, { id: input.granteeRelatedPersonId, patient })) ??
        undefined;
      if (!grantee) throw NotFoundError.record('RelatedPerson', input.granteeRelatedPersonId);
    }
    const consent = scope.em.create(Consent, {
      tenantId: ctx.tenantId,
      patient,
      scope: input.scope,
      purpose: input.purpose,
      decision: input.decision ?? ConsentDecision.PERMIT,
      status: ConsentStatus.ACTIVE,
      channel: input.channel,
      grantee,
      periodStart,
      periodEnd: input.periodEnd,
      source: input.source,
      recordedByUserId: ctx.actor.userId,
      securityLabels: [...new Set((input.securityLabels ?? []).map((l) => l.toUpperCase()))],
    });
    scope.audit({
      action: 'C',
      type: 'consent.record',
      entity: `Consent/${consent.id}`,
      patientId: patient.id,
      detail: { purpose: input.purpose, decision: consent.decision },
    });
    scope.provenance(`Consent/${consent.id}`, 'create');
    return consent;
  });
}

/** Revokes an active consent from now on. */
export async function revokeConsent(
  ctx: AuthenticatedContext,
  id: string,
  reason?: string,
): Promise<Consent> {
  return write(ctx, async (scope) => {
    const consent = await scope.em.findOne(Consent, id);
    if (!consent) throw NotFoundError.record('Consent', id);
    await requireAccess(ctx, scope.em, consent.patient.id, 'careRelations', 'write');
    if (consent.status !== ConsentStatus.ACTIVE)
      throw ConflictError.because(`The consent is ${consent.status}, not active.`);
    const now = new Date();
    consent.status = ConsentStatus.INACTIVE;
    consent.revokedAt = now;
    consent.periodEnd = now;
    consent.revocationReason = reason;
    scope.audit({
      action: 'U',
      type: 'consent.revoke',
      entity: `Consent/${id}`,
      patientId: consent.patient.id,
    });
    scope.provenance(`Consent/${id}`, 'update', 'revoked');
    return consent;
  });
}
