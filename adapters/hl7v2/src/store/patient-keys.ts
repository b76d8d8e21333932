import type { EntityManager as CoreEntityManager } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { PatientIdentifier } from '@caregraph/schema';

/** The table of core's patient identifiers. */
export function identifierTable(em: CoreEntityManager): string {
  return em.getMetadata().get(PatientIdentifier).tableName;
}

/**
 * The blind indexes of every identifier of the patients: the patient keys (PID-3.1) their
 * messages are stored under. Read without loading the identifiers (no decryption).
 */
export async function identifierKeysOf(
  em: CoreEntityManager,
  tenantId: string,
  patientIds: readonly string[],
): Promise<string[]> {
  if (patientIds.length === 0) return [];
  const rows = await (em as EntityManager).execute<{ key: string }[]>(
    `select distinct value_index as key from "${identifierTable(em)}"
      where tenant_id = ? and value_index is not null and patient_id in (${patientIds.map(() => '?').join(', ')})`,
    [tenantId, ...patientIds],
  );
  return rows.map((row) => row.key);
}

/**
 * Every patient key that names the same patient as `key`, as a subquery: the key itself and,
 * when a patient holds an identifier of that value, the blind indexes of all that patient's
 * identifiers. After a merge the loser's identifiers belong to the survivor, so the messages
 * sent under either patient's key are one patient's queue again.
 */
export function samePatientKeysSql(table: string): {
  sql: string;
  params: (tenantId: string, key: string) => unknown[];
} {
  return {
    sql: `select ?::text union select other.value_index from "${table}" other
           where other.tenant_id = ? and other.value_index is not null and other.patient_id in
             (select mine.patient_id from "${table}" mine where mine.tenant_id = ? and mine.value_index = ?)`,
    params: (tenantId, key) => [key, tenantId, tenantId, key],
  };
}
