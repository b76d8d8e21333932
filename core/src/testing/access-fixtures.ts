import { randomUUID } from 'node:crypto';
import {
  CareTeam,
  CareTeamPatient,
  Patient,
  Practitioner,
  Role,
  User,
  UserKind,
} from '@caregraph/schema';
import type { Actor } from '../auth/actor.js';
import { mintDevToken } from '../auth/dev-token.js';
import { allCareTeamPatients } from '../security/relationship-queries.js';
import type { TestHub } from './create-test-hub.js';

/** A user made for an access test, with a token. */
export interface TestUser {
  userId: string;
  token: string;
  roles: Role[];
  practitionerId?: string;
  patientId?: string;
  relatedPersonId?: string;
  kind: UserKind;
}

/** The Actor the hub resolves for a test user (for computing what the matrix expects). */
export function actorOfTestUser(t: TestHub, user: TestUser): Actor {
  return {
    userId: user.userId,
    tenantId: t.seed.tenantId,
    kind: user.kind,
    roles: user.roles,
    displayName: 'test',
    practitionerId: user.practitionerId,
    patientId: user.patientId,
    relatedPersonId: user.relatedPersonId,
  };
}

/**
 * Creates an active user holding exactly `roles`, optionally linked to a practitioner (so the
 * user has that practitioner's care relationships), and signs a dev token for it.
 */
export async function createUserWithRoles(
  t: TestHub,
  roles: Role[],
  practitionerId?: string,
): Promise<TestUser> {
  return t.inTenant(async (em) => {
    const user = em.create(User, {
      tenantId: t.seed.tenantId,
      email: `${roles.join('-')}-${randomUUID().slice(0, 8)}@access-test.example`,
      displayName: `Test ${roles.join(', ')}`,
      kind: practitionerId ? UserKind.PRACTITIONER : UserKind.STAFF,
      roles,
      practitioner: practitionerId ? em.getReference(Practitioner, practitionerId) : undefined,
    });
    await em.flush();
    return {
      userId: user.id,
      token: await mintDevToken(
        t.hub.devSigningKey!,
        { userId: user.id, tenantId: t.seed.tenantId },
        '1h',
      ),
      roles,
      practitionerId,
      kind: user.kind,
    };
  });
}

/** A seeded user (the patient, the proxy) as a TestUser with a fresh token. */
export async function seededUser(t: TestHub, email: string): Promise<TestUser> {
  return t.inTenant(async (em) => {
    const user = await em.findOneOrFail(User, { email });
    return {
      userId: user.id,
      token: await t.token({ userId: user.id }),
      roles: [...user.roles],
      practitionerId: user.practitioner?.id,
      patientId: user.patient?.id,
      relatedPersonId: user.relatedPerson?.id,
      kind: user.kind,
    };
  });
}

/**
 * A seeded practitioner with care relationships to some patients but not most (a specialist),
 * with the patients on and off their care teams.
 */
export async function careTeamSplit(
  t: TestHub,
): Promise<{ practitionerId: string; onTeam: string[]; offTeam: string[] }> {
  return t.inTenant(async (em) => {
    const clinicians = await em.find(User, {
      practitioner: { $ne: null },
      roles: { $overlap: [Role.PHYSICIAN, Role.NURSE] },
    });
    let best: { practitionerId: string; patients: string[] } | undefined;
    for (const clinician of clinicians) {
      const practitionerId = clinician.practitioner!.id;
      const patients = await allCareTeamPatients(em, t.seed.tenantId, practitionerId, new Date());
      if (patients.length > 0 && (!best || patients.length < best.patients.length))
        best = { practitionerId, patients };
    }
    if (!best) throw new Error('no seeded clinician is on a care team');
    const { practitionerId, patients: onTeam } = best;
    const rows = await em
      .getConnection()
      .execute<{ id: string }[]>(
        `select id from patient where tenant_id = ? and active order by id`,
        [t.seed.tenantId],
      );
    const on = new Set(onTeam);
    return {
      practitionerId,
      onTeam: [...onTeam].sort(),
      offTeam: rows.map((row) => row.id).filter((id) => !on.has(id)),
    };
  });
}

/**
 * Enrols a patient (say, one a test just registered) on a care team of the first seeded
 * physician and nurse, so the default demo clinicians have a care relationship with them.
 */
export async function enrolWithDemoClinicians(t: TestHub, patientId: string): Promise<void> {
  await t.inTenant(async (em) => {
    const clinicians = [Role.PHYSICIAN, Role.NURSE].map(
      (role) => t.seed.users.find((u) => u.roles.includes(role))!.id,
    );
    const users = await em.find(User, { id: { $in: clinicians } });
    const practitioners = users.map((user) => user.practitioner!.id);
    const [team] = await em.getConnection().execute<{ care_team_id: string }[]>(
      `select care_team_id from care_team_member where tenant_id = ? and practitioner_id in (?, ?)
      and period_end is null group by care_team_id having count(distinct practitioner_id) = 2 limit 1`,
      [t.seed.tenantId, ...practitioners],
    );
    if (!team) throw new Error('no care team has both demo clinicians');
    em.create(CareTeamPatient, {
      tenantId: t.seed.tenantId,
      careTeam: em.getReference(CareTeam, team.care_team_id),
      patient: em.getReference(Patient, patientId),
      periodStart: new Date(Date.now() - 60_000),
    });
    await em.flush();
  });
}
