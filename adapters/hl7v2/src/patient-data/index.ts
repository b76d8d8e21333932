import type { EntityManager } from '@mikro-orm/sql';
import type { PatientDataScope, PluginPatientData } from '@caregraph/plugin-sdk';
import { ClinicalDocument } from '../store/clinical-document.js';
import { erasePatientData } from './erase-patient-data.js';
import { countPatientData, exportPatientData } from './export-patient-data.js';
import { mergePatientData } from './merge-patient-data.js';

/** The latest activity of the patients' clinical documents (retention runs from it). */
export async function lastDocumentActivity(
  scope: PatientDataScope,
  patientIds: readonly string[],
): Promise<Date | undefined> {
  const rows = await (scope.em as EntityManager).execute<{ at: Date | string | null }[]>(
    `select max(coalesce(activity_at, created_at)) as at from "${scope.em.getMetadata().get(ClinicalDocument).tableName}"
      where tenant_id = ? and patient_id in (${patientIds.map(() => '?').join(', ')})`,
    [scope.tenantId, ...patientIds],
  );
  const at = rows[0]?.at;
  return at ? new Date(at) : undefined;
}

/**
 * How the adapter's own rows about patients (clinical documents, record links, stored inbound
 * and outbound messages) follow the hub's merges, erasures and exports (plugin API 1.5.0).
 */
export const hl7PatientData: PluginPatientData = {
  onMerge: mergePatientData,
  onErase: erasePatientData,
  lastClinicalActivity: lastDocumentActivity,
  export: { count: countPatientData, resources: exportPatientData },
};
