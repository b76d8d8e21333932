import { Role } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import type { Actor } from '../auth/actor.js';
import { activeAtSql } from '../db/period-filters.js';

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

/**
 * Whether the practitioner is an active member of a care team the patient is currently enrolled
 * on. One statement: it runs for every event delivered to every care-team subscriber.
 */
export async function isOnCareTeamOf(
  em: EntityManager,
  tenantId: string,
  practitionerId: string,
  patientId: string,
): Promise<boolean> {
  const now = new Date();
  const member = activeAtSql('m', now);
  const enrolment = activeAtSql('p', now);
  const rows = await em.getConnection().execute(
    `select 1 from care_team_member m
       join care_team_patient p on p.care_team_id = m.care_team_id and p.tenant_id = m.tenant_id
      where m.tenant_id = ? and m.practitioner_id = ? and p.patient_id = ?
        and ${member.sql} and ${enrolment.sql}
      limit 1`,
    [tenantId, practitionerId, patientId, ...member.params, ...enrolment.params],
  );
  return rows.length > 0;
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
  return isOnCareTeamOf(em, actor.tenantId, actor.practitionerId, patientId);
}
