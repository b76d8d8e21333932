import { CareTeamMember, CareTeamPatient, Role } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import type { Actor } from '../auth/actor.js';

/** Roles that treat patients and may read clinical data (with a care relationship, see issue #3). */
export const CLINICAL_ROLES: readonly Role[] = [Role.PHYSICIAN, Role.NURSE, Role.CARE_COORDINATOR];

/** Staff roles that may look patients up (demographics). */
export const PATIENT_LOOKUP_ROLES: readonly Role[] = [
  Role.ADMIN,
  ...CLINICAL_ROLES,
  Role.FRONT_DESK,
  Role.BILLING,
  Role.INTEGRATION,
];

/** Whether the actor is the patient themself. */
export function isSelf(actor: Actor | undefined, patientId: string | undefined): boolean {
  return !!actor?.patientId && actor.patientId === patientId;
}

/** Whether the practitioner is an active member of a care team the patient is enrolled on. */
export async function isOnCareTeamOf(
  em: EntityManager,
  practitionerId: string,
  patientId: string,
): Promise<boolean> {
  const now = new Date();
  const teams = await em.find(
    CareTeamPatient,
    {
      patient: patientId,
      periodStart: { $lte: now },
      $or: [{ periodEnd: null }, { periodEnd: { $gt: now } }],
    },
    { fields: ['careTeam'] },
  );
  if (teams.length === 0) return false;
  const members = await em.count(CareTeamMember, {
    practitioner: practitionerId,
    careTeam: { $in: teams.map((t) => t.careTeam.id) },
    periodStart: { $lte: now },
    $or: [{ periodEnd: null }, { periodEnd: { $gt: now } }],
  });
  return members > 0;
}

/**
 * Whether an event about `patientId` may be delivered to `actor` on the care-team feed:
 * the actor's practitioner is on one of the patient's care teams, or the actor is the patient.
 */
export async function mayReceivePatientEvent(
  em: EntityManager,
  actor: Actor,
  patientId: string,
): Promise<boolean> {
  if (isSelf(actor, patientId)) return true;
  if (!actor.practitionerId || !actor.roles.some((r) => CLINICAL_ROLES.includes(r))) return false;
  return isOnCareTeamOf(em, actor.practitionerId, patientId);
}
