import type { RequestContext } from '../context/request-context.js';
import type { PatientRead } from '../security/patient-access.js';
import type { AuditDraft } from './audit-chain.js';

/** Audit chain of events that belong to no tenant (a token that names nobody). */
export const SYSTEM_AUDIT_TENANT = '00000000-0000-0000-0000-000000000000';

/** FHIR AuditEvent outcome: all allowed (0), partly refused (4), refused (8). */
function outcomeOf(read: PatientRead): string {
  if (read.denied.size === 0) return '0';
  return read.categories.size > 0 ? '4' : '8';
}

/**
 * One audit row per patient an operation (or one subscription delivery) touched: who, in which
 * role, why, which data categories were read and which were refused, on what basis (care team,
 * break-glass…), with the request id and client address. Never the values read.
 */
export function accessAuditDrafts(
  ctx: RequestContext,
  reads: readonly PatientRead[],
  via: { channel: 'http' | 'subscription'; operationName?: string | null },
): AuditDraft[] {
  if (!ctx.actor) return [];
  const actor = ctx.actor;
  return reads.map((read) => {
    const breakGlass = [...read.breakGlassSessionIds];
    return {
      action: 'R',
      type: via.channel === 'subscription' ? 'subscription.delivery' : 'patient.read',
      outcome: outcomeOf(read),
      actorUserId: actor.userId,
      actorRoles: [...actor.roles],
      purposeOfUse: breakGlass.length ? 'ETREAT' : ctx.purposeOfUse,
      patientId: read.patientId,
      entity: `Patient/${read.patientId}`,
      requestId: ctx.requestId,
      clientAddress: ctx.clientAddress,
      detail: {
        categories: [...read.categories].sort(),
        ...(read.denied.size ? { denied: [...read.denied].sort() } : {}),
        basis: [...read.bases].sort(),
        ...(breakGlass.length ? { breakGlassSessionIds: breakGlass.sort() } : {}),
        ...(via.operationName ? { operation: via.operationName } : {}),
      },
    };
  });
}

/** The audit row of a refused token (bad signature, expired, unknown user). */
export function loginFailureDraft(options: {
  reason: string;
  requestId?: string;
  clientAddress?: string;
  channel: 'http' | 'websocket';
}): AuditDraft {
  return {
    action: 'E',
    type: 'login.failed',
    outcome: '4',
    actorRoles: [],
    requestId: options.requestId,
    clientAddress: options.clientAddress,
    detail: { reason: options.reason, channel: options.channel },
  };
}
