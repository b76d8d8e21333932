import { CodedConcept } from '@caregraph/schema';
import { MappingError } from '../mappings/mapping-error.js';
import type { DocumentRecord } from '../mappings/records.js';
import { ClinicalDocument } from '../store/clinical-document.js';
import type { ApplyState } from './apply-state.js';
import { assignChanges } from './assign-changes.js';
import { documentSecurityLabels } from './document-labels.js';
import { applyPatient } from './patients.js';
import { resolvePractitioner } from './practitioners.js';
import { linkedRecord, linkRecord } from './record-links.js';

const DOCUMENT_NUMBER = { segment: 'TXA', sequence: 1, field: 12 };

/**
 * MDM^T02 onto the adapter's `ClinicalDocument` (core has no document entity), found by its
 * unique document number (TXA-12) through a record link of kind `document`: a new number stores
 * the document, a known one (a resend, or the same document sent again once signed) updates it,
 * and the same content twice changes nothing. TXA-12 is required. The text is encrypted at rest.
 * Its security labels follow TXA-18 and TXA-2 (`documentSensitivity`), on every message: a
 * later one that changes TXA-18 relabels it.
 * The document remembers the stored message that last created or changed it.
 */
export async function applyDocument(record: DocumentRecord, state: ApplyState): Promise<void> {
  const details = record.document;
  if (!details.uniqueDocumentNumber)
    throw MappingError.requiredFieldMissing(DOCUMENT_NUMBER, 'unique document number');
  const patient = await applyPatient(state, record.patient);
  const key = {
    kind: 'document',
    system: state.sender,
    externalId: details.uniqueDocumentNumber,
  };
  const id = await linkedRecord(state, key);
  const found = id ? await state.em.findOne(ClinicalDocument, id) : null;
  if (found && found.patientId !== patient.id)
    throw MappingError.unknownKey(DOCUMENT_NUMBER, 'document of this patient');
  const type = Object.assign(new CodedConcept(), details.documentType);
  const document =
    found ??
    state.em.create(ClinicalDocument, {
      tenantId: state.config.tenantId,
      patientId: patient.id,
      type,
      status: details.status,
      documentNumber: details.uniqueDocumentNumber,
      listedAt: details.activityAt ?? new Date(),
      text: details.text,
      sourceMessageId: state.messageId,
    });
  const author = await resolvePractitioner(state, details.author);
  const changed = assignChanges(document, {
    type,
    status: details.status,
    completionStatus: details.completionStatus,
    confidentiality: details.confidentiality,
    // An empty TXA-18 leaves the stored status (as for the other fields), and so its label.
    securityLabels: documentSecurityLabels(
      {
        documentType: details.documentType,
        confidentiality: details.confidentiality ?? document.confidentiality,
      },
      state.config.documentSensitivity,
    ),
    parentDocumentNumber: details.parentDocumentNumber,
    activityAt: details.activityAt,
    listedAt: details.activityAt,
    authorId: author?.id,
    visitNumber: record.visitNumber,
    text: details.text,
  });
  // The message that last wrote the document (a resend that changes nothing leaves it).
  if (found && changed) document.sourceMessageId = state.messageId;
  if (!found) linkRecord(state, key, 'ClinicalDocument', document.id);
  state.wrote('ClinicalDocument', document.id, { created: !found, changed });
}
