import type { FilterQuery } from '@mikro-orm/core';
import { BreakGlassSession, Patient, User, type BreakGlassArgs } from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import { ConflictError, NotFoundError } from '../errors/caregraph-error.js';
import type { Page } from '../graphql/types/connection.js';
import { newestFirstPage } from './newest-first-page.js';
import { write } from './transaction.js';

/** DICOM (DCM) audit event subtypes of an emergency override. */
export const EMERGENCY_OVERRIDE_STARTED = {
  system: 'http://dicom.nema.org/resources/ontology/DCM',
  code: '110127',
  display: 'Emergency Override Started',
} as const;

/** Where a session is in its life: in force, over and waiting for review, or reviewed. */
export enum BreakGlassSessionStatus {
  ACTIVE = 'ACTIVE',
  AWAITING_REVIEW = 'AWAITING_REVIEW',
  REVIEWED = 'REVIEWED',
}

/** The status of a session at `now`. */
export function sessionStatus(
  session: BreakGlassSession,
  now = new Date(),
): BreakGlassSessionStatus {
  if (session.reviewedAt) return BreakGlassSessionStatus.REVIEWED;
  return session.expiresAt > now
    ? BreakGlassSessionStatus.ACTIVE
    : BreakGlassSessionStatus.AWAITING_REVIEW;
}

/**
 * Starts an emergency override: the caller (a clinician, see CARE_TEAM_ROLES) gets care-team
 * access to the patient until the session expires. Audited as DICOM 110127 with purpose
 * ETREAT, announced on the privacy feed, and listed for review. The reason is kept on the
 * session for the privacy officer, never in the audit row or the event.
 */
export async function startBreakGlass(
  ctx: AuthenticatedContext,
  args: BreakGlassArgs,
): Promise<BreakGlassSession> {
  const relationship = await ctx.access.relationship(args.patientId);
  if (relationship.careTeam || relationship.self)
    throw ConflictError.because('You already have access to this patient; no override is needed.', {
      reason: 'ALREADY_AUTHORISED',
    });
  if (relationship.breakGlassSessionId)
    throw ConflictError.because('An emergency override for this patient is already active.', {
      reason: 'OVERRIDE_ACTIVE',
      sessionId: relationship.breakGlassSessionId,
    });
  return write(ctx, async (scope) => {
    const patient = await scope.em.findOne(Patient, args.patientId);
    if (!patient) throw NotFoundError.record('Patient', args.patientId);
    if (!patient.active)
      throw ConflictError.because('This patient record is inactive (merged).', {
        path: ['patientId'],
        replacedBy: patient.replacedBy?.id,
      });
    const startedAt = new Date();
    const minutes = ctx.policy.breakGlassMinutes;
    const session = scope.em.create(BreakGlassSession, {
      tenantId: ctx.tenantId,
      patient,
      user: scope.em.getReference(User, ctx.actor.userId),
      reason: args.reason,
      startedAt,
      expiresAt: new Date(startedAt.getTime() + minutes * 60_000),
    });
    scope.audit({
      action: 'E',
      type: 'break-glass.start',
      entity: `BreakGlassSession/${session.id}`,
      patientId: patient.id,
      purposeOfUse: 'ETREAT',
      detail: {
        subtype: EMERGENCY_OVERRIDE_STARTED,
        sessionId: session.id,
        expiresAt: session.expiresAt.toISOString(),
        minutes,
      },
    });
    return session;
  });
}

/** Marks a session reviewed by the calling privacy officer (audited). */
export async function reviewBreakGlassSession(
  ctx: AuthenticatedContext,
  id: string,
  note: string | undefined,
): Promise<BreakGlassSession> {
  return write(ctx, async (scope) => {
    const session = await scope.em.findOne(BreakGlassSession, id);
    if (!session) throw NotFoundError.record('BreakGlassSession', id);
    if (session.reviewedAt)
      throw ConflictError.because('This session has already been reviewed.', {
        reason: 'ALREADY_REVIEWED',
      });
    session.reviewedAt = new Date();
    session.reviewedBy = scope.em.getReference(User, ctx.actor.userId);
    session.reviewNote = note;
    scope.audit({
      action: 'U',
      type: 'break-glass.review',
      entity: `BreakGlassSession/${id}`,
      patientId: session.patient.id,
      detail: { sessionId: id },
    });
    return session;
  });
}

/** Sessions of the tenant, newest first, optionally by status. */
export async function listBreakGlassSessions(
  ctx: AuthenticatedContext,
  status: BreakGlassSessionStatus | undefined,
  page: { first?: number; after?: string },
): Promise<Page<BreakGlassSession>> {
  const now = new Date();
  const where: FilterQuery<BreakGlassSession>[] = [];
  if (status === BreakGlassSessionStatus.REVIEWED) where.push({ reviewedAt: { $ne: null } });
  if (status === BreakGlassSessionStatus.ACTIVE)
    where.push({ reviewedAt: null, expiresAt: { $gt: now } });
  if (status === BreakGlassSessionStatus.AWAITING_REVIEW)
    where.push({ reviewedAt: null, expiresAt: { $lte: now } });
  return newestFirstPage(ctx.em, BreakGlassSession, where, 'startedAt', page);
}
