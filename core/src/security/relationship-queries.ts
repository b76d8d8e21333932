import type { EntityManager } from '@mikro-orm/sql';
import { activeAtSql } from '../db/period-filters.js';

/*
 * The SQL behind relationship-based access. Each function answers for a batch of patients in
 * one statement: a list of 50 patients costs one query per kind of relationship, not 50.
 */

/**
 * Runs a statement in the EntityManager's transaction when it has one: on embedded PGlite (one
 * connection) a statement outside a running transaction would wait for it forever.
 */
function query<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T> {
  return em.getConnection().execute(sql, params, 'all', em.getTransactionContext()) as Promise<T>;
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * Active members (`m`) of care teams with active enrolments (`p`) at `now`: the FROM and WHERE
 * that every care-team relationship starts from (callers add their `and …` conditions).
 */
function activeEnrolments(now: Date): { sql: string; params: unknown[] } {
  const member = activeAtSql('m', now);
  const enrolment = activeAtSql('p', now);
  return {
    sql: `care_team_member m
       join care_team_patient p on p.care_team_id = m.care_team_id and p.tenant_id = m.tenant_id
      where ${member.sql} and ${enrolment.sql}`,
    params: [...member.params, ...enrolment.params],
  };
}

/** A staff member's relationship to one patient: care team and break-glass. */
export interface StaffRelationship {
  careTeam: boolean;
  breakGlassSessionId?: string;
}

/**
 * For each of `patientIds` (that exists in the tenant): whether the practitioner is an active
 * member of one of its active care teams, and the user's break-glass session on it in force at
 * `now` (the one that runs longest), in one statement. A merged record counts as enrolled where
 * its surviving record is: merges move enrolments to the survivor, and the care team keeps
 * seeing the merged record's pointer and history.
 */
export async function staffRelationships(
  em: EntityManager,
  tenantId: string,
  staff: { practitionerId?: string | null; userId: string },
  patientIds: readonly string[],
  now: Date,
): Promise<Map<string, StaffRelationship>> {
  const team = activeEnrolments(now);
  const rows = await query<
    { patient_id: string; care_team: boolean; break_glass_session_id: string | null }[]
  >(
    em,
    `select x.id as patient_id,
       exists (select 1 from ${team.sql}
                 and m.tenant_id = x.tenant_id and m.practitioner_id = ?
                 and p.patient_id = coalesce(x.replaced_by_id, x.id)) as care_team,
       (select s.id from break_glass_session s
         where s.tenant_id = x.tenant_id and s.user_id = ? and s.patient_id = x.id
           and s.started_at <= ? and s.expires_at > ?
         order by s.expires_at desc limit 1) as break_glass_session_id
     from patient x where x.tenant_id = ? and x.id in (${placeholders(patientIds)})`,
    [...team.params, staff.practitionerId ?? null, staff.userId, now, now, tenantId, ...patientIds],
  );
  return new Map(
    rows.map((row) => [
      row.patient_id,
      row.break_glass_session_id
        ? { careTeam: row.care_team, breakGlassSessionId: row.break_glass_session_id }
        : { careTeam: row.care_team },
    ]),
  );
}

/** The user's break-glass sessions in force at `now`, by patient. */
export async function activeBreakGlassSessions(
  em: EntityManager,
  tenantId: string,
  userId: string,
  now: Date,
): Promise<Map<string, string>> {
  const rows = await query<{ id: string; patient_id: string }[]>(
    em,
    `select id, patient_id from break_glass_session
      where tenant_id = ? and user_id = ? and started_at <= ? and expires_at > ?
      order by expires_at desc`,
    [tenantId, userId, now, now],
  );
  const sessions = new Map<string, string>();
  for (const row of rows) if (!sessions.has(row.patient_id)) sessions.set(row.patient_id, row.id);
  return sessions;
}

/**
 * Patients (of `patientIds`, or all when absent) whose active proxy-access consent names the
 * related person.
 */
export async function proxyPatients(
  em: EntityManager,
  tenantId: string,
  relatedPersonId: string,
  patientIds: readonly string[] | undefined,
  now: Date,
): Promise<Set<string>> {
  const period = activeAtSql('c', now);
  const among = patientIds ? `and c.patient_id in (${placeholders(patientIds)})` : '';
  const rows = await query<{ patient_id: string }[]>(
    em,
    `select distinct c.patient_id from consent c
      where c.tenant_id = ? and c.grantee_id = ? ${among}
        and c.purpose = 'proxy-access' and c.status = 'active' and c.decision = 'permit'
        and ${period.sql}`,
    [tenantId, relatedPersonId, ...(patientIds ?? []), ...period.params],
  );
  return new Set(rows.map((row) => row.patient_id));
}

/** A patient's active privacy consents about sensitivity labels. */
export interface PrivacyConsent {
  patientId: string;
  decision: 'permit' | 'deny';
  labels: string[];
}

/** Active `patient-privacy` consents with security labels, for a batch of patients. */
export async function privacyConsents(
  em: EntityManager,
  tenantId: string,
  patientIds: readonly string[],
  now: Date,
): Promise<PrivacyConsent[]> {
  const period = activeAtSql('c', now);
  const rows = await query<
    { patient_id: string; decision: 'permit' | 'deny'; security_labels: unknown }[]
  >(
    em,
    `select c.patient_id, c.decision, c.security_labels from consent c
        where c.tenant_id = ? and c.patient_id in (${placeholders(patientIds)})
          and c.scope = 'patient-privacy' and c.status = 'active' and ${period.sql}
          and jsonb_array_length(c.security_labels) > 0`,
    [tenantId, ...patientIds, ...period.params],
  );
  return rows.map((row) => ({
    patientId: row.patient_id,
    decision: row.decision,
    labels: (typeof row.security_labels === 'string'
      ? JSON.parse(row.security_labels)
      : row.security_labels) as string[],
  }));
}

/** Every patient on the practitioner's active care teams (for lists filtered by relationship). */
export async function allCareTeamPatients(
  em: EntityManager,
  tenantId: string,
  practitionerId: string,
  now: Date,
): Promise<string[]> {
  const team = activeEnrolments(now);
  const rows = await query<{ patient_id: string }[]>(
    em,
    `select distinct p.patient_id from ${team.sql} and m.tenant_id = ? and m.practitioner_id = ?`,
    [...team.params, tenantId, practitionerId],
  );
  return rows.map((row) => row.patient_id);
}

/**
 * The practitioners who are active members of the patient's active care teams at `now` (of
 * its surviving record, as `staffRelationships` counts a merged one): exactly those for whom
 * `staffRelationships` finds `careTeam`, in one statement for every receiver of an event.
 */
export async function careTeamPractitioners(
  em: EntityManager,
  tenantId: string,
  patientId: string,
  now: Date,
): Promise<Set<string>> {
  const team = activeEnrolments(now);
  const rows = await query<{ practitioner_id: string }[]>(
    em,
    `select distinct m.practitioner_id from ${team.sql} and m.tenant_id = ?
        and p.patient_id = (select coalesce(x.replaced_by_id, x.id) from patient x
                             where x.tenant_id = ? and x.id = ?)`,
    [...team.params, tenantId, tenantId, patientId],
  );
  return new Set(rows.map((row) => row.practitioner_id));
}
