import {
  Consent,
  ConsentDecision,
  ConsentScope,
  ConsentStatus,
  Patient,
  RelatedPerson,
  type CommunicationChannel,
  type ConsentPurpose,
} from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import { BadUserInputError, NotFoundError } from '../errors/caregraph-error.js';
import { requireAccess } from '../security/require-access.js';
import { write, type WriteScope } from './transaction.js';

/** Whose opt-out, on which channel, for which purposes. */
export interface OptOutRequest {
  patientId: string;
  channel: CommunicationChannel;
  purposes: readonly ConsentPurpose[];
  granteeRelatedPersonId?: string;
  /** Recording: the consent's `source`. Ending: only denials of this source (all when absent). */
  source?: string;
  reason?: string;
}

/**
 * Who decides that the opt-out may be written: the signed-in caller (core's right to write the
 * patient's consents), or a plugin on its own authority (a keyword such as STOP, an unsubscribe
 * link), which needs no consent-writing grant because an opt-out only narrows what is sent.
 */
export type OptOutAuthority = { kind: 'caller' } | { kind: 'plugin'; pluginId: string };

function authorityDetail(authority: OptOutAuthority): string {
  return authority.kind === 'plugin' ? `plugin:${authority.pluginId}` : 'caller';
}

async function loadSubject(
  ctx: AuthenticatedContext,
  scope: WriteScope,
  request: OptOutRequest,
  authority: OptOutAuthority,
): Promise<{ patient: Patient; grantee?: RelatedPerson }> {
  if (request.purposes.length === 0)
    throw BadUserInputError.field(['purposes'], 'name at least one purpose');
  const patient = await scope.em.findOne(Patient, request.patientId);
  if (!patient) throw NotFoundError.record('Patient', request.patientId);
  if (authority.kind === 'caller')
    await requireAccess(ctx, scope.em, patient.id, 'careRelations', 'write');
  if (!request.granteeRelatedPersonId) return { patient };
  const grantee = await scope.em.findOne(RelatedPerson, {
    id: request.granteeRelatedPersonId,
    patient,
  });
  if (!grantee) throw NotFoundError.record('RelatedPerson', request.granteeRelatedPersonId);
  return { patient, grantee };
}

/** The active communication denials of the recipient on the channel for the purposes. */
function activeDenials(
  scope: WriteScope,
  patient: Patient,
  grantee: RelatedPerson | undefined,
  request: OptOutRequest,
): Promise<Consent[]> {
  return scope.em.find(Consent, {
    patient,
    grantee: grantee ?? null,
    scope: ConsentScope.COMMUNICATION,
    channel: request.channel,
    purpose: { $in: [...request.purposes] },
    decision: ConsentDecision.DENY,
    status: ConsentStatus.ACTIVE,
    revokedAt: null,
  });
}

/**
 * Records an opt-out in force at once: one active DENY communication consent per purpose on the
 * channel, except for purposes the recipient has already denied there. Resolves with every
 * active denial that covers the request (new and existing).
 */
export async function recordOptOut(
  ctx: AuthenticatedContext,
  request: OptOutRequest & { source: string },
  authority: OptOutAuthority,
): Promise<Consent[]> {
  return write(ctx, async (scope) => {
    const { patient, grantee } = await loadSubject(ctx, scope, request, authority);
    const existing = await activeDenials(scope, patient, grantee, request);
    const now = new Date();
    const created = request.purposes
      .filter((purpose) => !existing.some((c) => c.purpose === purpose))
      .map((purpose) => {
        const consent = scope.em.create(Consent, {
          tenantId: ctx.tenantId,
          patient,
          scope: ConsentScope.COMMUNICATION,
          purpose,
          decision: ConsentDecision.DENY,
          status: ConsentStatus.ACTIVE,
          channel: request.channel,
          grantee,
          periodStart: now,
          source: request.source,
          recordedByUserId: ctx.actor.userId,
          securityLabels: [],
        });
        scope.provenance(`Consent/${consent.id}`, 'create', request.reason ?? 'opt-out');
        scope.audit({
          action: 'C',
          type: 'consent.opt-out',
          entity: `Consent/${consent.id}`,
          patientId: patient.id,
          detail: {
            purpose,
            channel: request.channel,
            source: request.source,
            grantee: grantee ? `RelatedPerson/${grantee.id}` : undefined,
            authority: authorityDetail(authority),
          },
        });
        return consent;
      });
    return [...existing, ...created];
  });
}

/**
 * Ends opt-outs at once: revokes the recipient's active DENY communication consents on the
 * channel for the purposes (only those of `source` when given). Resolves with the revoked ones.
 */
export async function endOptOut(
  ctx: AuthenticatedContext,
  request: OptOutRequest,
  authority: OptOutAuthority,
): Promise<Consent[]> {
  return write(ctx, async (scope) => {
    const { patient, grantee } = await loadSubject(ctx, scope, request, authority);
    const denials = (await activeDenials(scope, patient, grantee, request)).filter(
      (c) => request.source === undefined || c.source === request.source,
    );
    const now = new Date();
    for (const consent of denials) {
      consent.status = ConsentStatus.INACTIVE;
      consent.revokedAt = now;
      consent.periodEnd = now;
      consent.revocationReason = request.reason;
      scope.provenance(`Consent/${consent.id}`, 'update', request.reason ?? 'opt-out ended');
      scope.audit({
        action: 'U',
        type: 'consent.opt-out-end',
        entity: `Consent/${consent.id}`,
        patientId: patient.id,
        detail: {
          purpose: consent.purpose,
          channel: request.channel,
          authority: authorityDetail(authority),
        },
      });
    }
    return denials;
  });
}
