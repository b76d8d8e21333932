import type { PatientDataScope } from '@caregraph/plugin-sdk';
import { ClinicalDocument } from '../store/clinical-document.js';

/**
 * A merge (`patients.merge`, ADT A40 or the GraphQL mutation), in its transaction: the loser's
 * clinical documents move to the survivor. Record links need no change: they name records
 * (documents, appointments, problems, orders), not patients, and those records move with their
 * patient, so a later message naming one finds it on the survivor. Stored messages stay as they
 * were received (history: `patientId` is the record they were applied to, which now points at
 * the survivor); the error queue treats both records' keys as one patient (`samePatientKeysSql`).
 */
export async function mergePatientData(
  scope: PatientDataScope,
  survivorId: string,
  loserId: string,
): Promise<Record<string, number>> {
  const documents = await scope.em.nativeUpdate(
    ClinicalDocument,
    { tenantId: scope.tenantId, patientId: loserId },
    { patientId: survivorId },
  );
  return { ClinicalDocument: documents };
}
