import {
  CareTeam,
  CareTeamMember,
  CodedConcept,
  Practitioner,
  type AddCareTeamMemberInput,
} from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import { ConflictError, NotFoundError } from '../errors/caregraph-error.js';
import { notEndedAt } from '../db/period-filters.js';
import { write } from './transaction.js';

/** Adds a practitioner to a care team; refuses a second active membership of the same person. */
export async function addCareTeamMember(
  ctx: AuthenticatedContext,
  input: AddCareTeamMemberInput,
): Promise<CareTeamMember> {
  return write(ctx, async (scope) => {
    const careTeam = await scope.em.findOne(CareTeam, input.careTeamId);
    if (!careTeam) throw NotFoundError.record('CareTeam', input.careTeamId);
    const practitioner = await scope.em.findOne(Practitioner, input.practitionerId);
    if (!practitioner) throw NotFoundError.record('Practitioner', input.practitionerId);
    const now = new Date();
    const existing = await scope.em.count(CareTeamMember, {
      careTeam,
      practitioner,
      ...notEndedAt(now),
    });
    if (existing > 0)
      throw ConflictError.because('The practitioner is already a member of this care team.', {
        path: ['input', 'practitionerId'],
      });
    const member = scope.em.create(CareTeamMember, {
      tenantId: ctx.tenantId,
      careTeam,
      practitioner,
      role: Object.assign(new CodedConcept(), input.role),
      periodStart: input.periodStart ?? now,
    });
    scope.audit({
      action: 'C',
      type: 'care-team.member.add',
      entity: `CareTeamMember/${member.id}`,
      detail: { careTeamId: careTeam.id },
    });
    scope.provenance(`CareTeamMember/${member.id}`, 'create');
    return member;
  });
}

/** Ends a membership (the row is kept, with `periodEnd` set, for history and audit). */
export async function removeCareTeamMember(
  ctx: AuthenticatedContext,
  memberId: string,
): Promise<CareTeamMember> {
  return write(ctx, async (scope) => {
    const member = await scope.em.findOne(CareTeamMember, memberId);
    if (!member) throw NotFoundError.record('CareTeamMember', memberId);
    const now = new Date();
    if (member.periodEnd && member.periodEnd <= now)
      throw ConflictError.because('This membership has already ended.');
    member.periodEnd = now;
    scope.audit({
      action: 'U',
      type: 'care-team.member.remove',
      entity: `CareTeamMember/${memberId}`,
      detail: { careTeamId: member.careTeam.id },
    });
    scope.provenance(`CareTeamMember/${memberId}`, 'update', 'membership ended');
    return member;
  });
}
