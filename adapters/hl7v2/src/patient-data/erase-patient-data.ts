import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { Appointment, Condition, MedicationRequest, Provenance } from '@caregraph/schema';
import type { PatientDataScope } from '@caregraph/plugin-sdk';
import { OutboundMessage } from '../outbound/outbound-message.js';
import { PENDING_STATUSES, OutboundMessageStatus } from '../outbound/outbound-message-status.js';
import { ClinicalDocument } from '../store/clinical-document.js';
import { IntegrationMessage } from '../store/integration-message.js';
import {
  BLOCKING_STATUSES,
  IntegrationMessageStatus,
} from '../store/integration-message-status.js';
import { RecordLink } from '../store/record-link.js';
import { documentsOf, inboundMessagesOf, outboundMessagesOf, pagesOf } from './patient-rows.js';

/** Error code of a message taken out of a queue because its patient was erased. */
export const PATIENT_ERASED = 'CG_ERR_HL7_PATIENT_ERASED';

/** Record types linked to sender keys whose rows belong to one patient (`patient_id`). */
const PATIENT_RECORDS: readonly EntityClass<object>[] = [
  Appointment,
  Condition,
  MedicationRequest,
  ClinicalDocument,
];

function affected(result: unknown): number {
  return Number((result as { affectedRows?: number }).affectedRows ?? 0);
}

/** Deletes the record links of the patients' records and the documents with their provenance. */
async function deleteDocumentsAndLinks(
  em: EntityManager,
  tenantId: string,
  patientIds: readonly string[],
): Promise<number> {
  const meta = em.getMetadata();
  const marks = patientIds.map(() => '?').join(', ');
  const links = meta.get(RecordLink).tableName;
  let deleted = 0;
  for (const entity of PATIENT_RECORDS) {
    const records = meta.get(entity);
    const result = await em.execute(
      `delete from "${links}" where tenant_id = ? and record_type = ? and record_id in
        (select id from "${records.tableName}" where tenant_id = ? and patient_id in (${marks}))`,
      [tenantId, records.className, tenantId, ...patientIds],
      'run',
    );
    deleted += affected(result);
  }
  const documents = meta.get(ClinicalDocument).tableName;
  const provenance = await em.execute(
    `delete from "${meta.get(Provenance).tableName}" where tenant_id = ? and target in
      (select 'ClinicalDocument/' || id from "${documents}" where tenant_id = ? and patient_id in (${marks}))`,
    [tenantId, tenantId, ...patientIds],
    'run',
  );
  deleted += affected(provenance);
  return deleted + (await em.nativeDelete(ClinicalDocument, documentsOf({ tenantId }, patientIds)));
}

/**
 * Strips the stored inbound messages about the patients of their PHI: the text goes, and so do
 * the patient key and the records they touched; the row stays as history (sender, control id,
 * type, times, outcome, ACK, content hash: a resend is still answered as a duplicate instead of
 * registering the patient again). A message still in the error queue (or stored, not applied)
 * is ignored with PATIENT_ERASED: there is nothing left to apply.
 */
async function scrubInbound(scope: PatientDataScope, patientIds: readonly string[]) {
  let scrubbed = 0;
  const where = await inboundMessagesOf(scope, patientIds);
  const fields = ['id', 'tenantId', 'status', 'patientKeyIndex', 'records'];
  for await (const rows of pagesOf(scope.em, IntegrationMessage, where, { fields })) {
    for (const row of rows) {
      row.raw = '';
      row.patientKeyIndex = undefined;
      row.records = [];
      if (
        BLOCKING_STATUSES.includes(row.status) ||
        row.status === IntegrationMessageStatus.RECEIVED
      ) {
        row.status = IntegrationMessageStatus.IGNORED;
        row.errorCode = PATIENT_ERASED;
        row.errorText = 'The patient was erased; the message text was removed.';
      }
    }
    await scope.em.flush();
    scrubbed += rows.length;
  }
  return scrubbed;
}

/** Strips the outbound messages about the patients of their text and ACK; pending ones go to the error queue. */
async function scrubOutbound(scope: PatientDataScope, patientIds: readonly string[]) {
  let scrubbed = 0;
  const where = outboundMessagesOf(scope, patientIds);
  const fields = ['id', 'tenantId', 'status', 'ackText'];
  for await (const rows of pagesOf(scope.em, OutboundMessage, where, { fields })) {
    for (const row of rows) {
      row.text = '';
      row.ackText = undefined;
      if (PENDING_STATUSES.includes(row.status)) {
        row.status = OutboundMessageStatus.ERROR;
        row.nextAttemptAt = undefined;
        row.lastErrorCode = PATIENT_ERASED;
        row.lastErrorText = 'The patient was erased before the message was delivered.';
      }
    }
    await scope.em.flush();
    scrubbed += rows.length;
  }
  return scrubbed;
}

/**
 * An erasure, in its transaction, before core deletes the patients' records: deletes their
 * clinical documents (with their provenance) and the record links of their records, and strips
 * the stored inbound and outbound messages about them of PHI. Returns the rows deleted or cleared.
 */
export async function erasePatientData(
  scope: PatientDataScope,
  patientIds: readonly string[],
): Promise<number> {
  const em = scope.em as EntityManager;
  return (
    (await deleteDocumentsAndLinks(em, scope.tenantId, patientIds)) +
    (await scrubInbound(scope, patientIds)) +
    (await scrubOutbound(scope, patientIds))
  );
}
