import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import {
  AllergyIntolerance,
  Appointment,
  CarePlan,
  CarePlanActivity,
  CarePlanGoal,
  CareTeamPatient,
  Communication,
  Condition,
  Consent,
  Coverage,
  Encounter,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  PatientIdentifier,
  RelatedPerson,
  Task,
} from '@caregraph/schema';

/** How the rows of one table are tied to a patient. */
export interface PatientRecordTable {
  entity: EntityClass<object>;
  /** `patient`: a `patient_id` column; `carePlan`: through the patient's care plans. */
  via: 'patient' | 'carePlan';
  /** FHIR resource type its rows are exported as (when it differs from the class name). */
  fhirType?: string;
}

/**
 * Every table holding rows about a patient, in an order in which they can be deleted (rows
 * referring to other rows of the list come first). A test walks the entity metadata and fails
 * when an entity tied to Patient is missing here or in PATIENT_RECORDS_KEPT.
 */
export const PATIENT_RECORD_TABLES: readonly PatientRecordTable[] = [
  { entity: Communication, via: 'patient' },
  { entity: Consent, via: 'patient' },
  { entity: Task, via: 'patient' },
  { entity: CarePlanGoal, via: 'carePlan', fhirType: 'Goal' },
  { entity: CarePlanActivity, via: 'carePlan', fhirType: 'CarePlan' },
  { entity: CarePlan, via: 'patient' },
  { entity: Observation, via: 'patient' },
  { entity: Encounter, via: 'patient' },
  { entity: Appointment, via: 'patient' },
  { entity: Condition, via: 'patient' },
  { entity: MedicationStatement, via: 'patient' },
  { entity: MedicationRequest, via: 'patient' },
  { entity: AllergyIntolerance, via: 'patient' },
  { entity: Immunization, via: 'patient' },
  { entity: Coverage, via: 'patient' },
  { entity: CareTeamPatient, via: 'patient', fhirType: 'CareTeam' },
  { entity: PatientIdentifier, via: 'patient', fhirType: 'Patient' },
  { entity: RelatedPerson, via: 'patient' },
];

/**
 * Entities tied to a patient that erasure keeps, and why: the tombstone itself; legal holds
 * (the record of a legal obligation, placed by the organisation); break-glass sessions (an
 * accountability record of who overrode access, kept for the privacy officer's review like the
 * audit log); and login accounts (deleted separately, see erasure-service).
 */
export const PATIENT_RECORDS_KEPT = ['Patient', 'LegalHold', 'BreakGlassSession', 'User'] as const;

/** `?, ?, ?` for a list of values. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

function tableOf(em: EntityManager, entity: EntityClass<object>): string {
  return em.getMetadata().get(entity).tableName;
}

/**
 * SQL selecting the ids of one table's rows about the given patients (with its parameters).
 * Tenant-scoped: every statement repeats the tenant condition.
 */
export function recordIdsSql(
  em: EntityManager,
  table: PatientRecordTable,
  tenantId: string,
  patientIds: readonly string[],
): { sql: string; params: unknown[] } {
  const name = tableOf(em, table.entity);
  if (table.via === 'patient') {
    return {
      sql: `select id from "${name}" where tenant_id = ? and patient_id in (${placeholders(patientIds)})`,
      params: [tenantId, ...patientIds],
    };
  }
  const plans = tableOf(em, CarePlan);
  return {
    sql: `select id from "${name}" where tenant_id = ? and care_plan_id in
      (select id from "${plans}" where tenant_id = ? and patient_id in (${placeholders(patientIds)}))`,
    params: [tenantId, tenantId, ...patientIds],
  };
}

/**
 * SQL selecting every Provenance target (`Type/<id>`) that names the given patients or one of
 * their records, under the class name and under the FHIR type name.
 */
export function patientTargetsSql(
  em: EntityManager,
  tenantId: string,
  patientIds: readonly string[],
): { sql: string; params: unknown[] } {
  const parts = [
    `select 'Patient/' || id from patient where tenant_id = ? and id in (${placeholders(patientIds)})`,
  ];
  const params: unknown[] = [tenantId, ...patientIds];
  for (const table of PATIENT_RECORD_TABLES) {
    const className = em.getMetadata().get(table.entity).className;
    const ids = recordIdsSql(em, table, tenantId, patientIds);
    for (const prefix of new Set([className, table.fhirType ?? className])) {
      parts.push(`select '${prefix}/' || r.id from (${ids.sql}) r`);
      params.push(...ids.params);
    }
  }
  return { sql: parts.join(' union all '), params };
}

/** The patient and every record merged into it (directly or through earlier merges). */
export async function withMergedRecords(em: EntityManager, patientId: string): Promise<string[]> {
  const ids = [patientId];
  for (let frontier = [patientId]; frontier.length > 0;) {
    const merged = await em.find(
      Patient,
      { replacedBy: { $in: frontier }, id: { $nin: ids } },
      { fields: ['id'] },
    );
    frontier = merged.map((p) => p.id);
    ids.push(...frontier);
  }
  return ids;
}
