/** MDM^T02 (TXA + OBX text) → {@link DocumentRecord}. */
import type { Hl7Message } from '../message/types.js';
import { dateTimeField, requireField, requireSegment } from './context.js';
import { comp, field, readPractitioner, rep, reps } from './datatypes.js';
import type { MappingContext } from './hooks.js';
import { patientOf } from './patient.js';
import type { DocumentDetailsRecord, DocumentRecord } from './records.js';

/** OBX value types that are document text (ED/RP attachments and coded rows are left out). */
const TEXT_TYPES = new Set(['TX', 'FT', 'ST']);

/** TXA-17 completion statuses (table 0271) of a signed document. */
const FINAL = new Set(['AU', 'LA']);

/** Maps an MDM^T02: the document's metadata (TXA) and its text (the OBX values, in order). */
export function mapDocument(msg: Hl7Message, ctx: MappingContext): DocumentRecord {
  const pid = requireSegment(msg, 'PID', 'patient identification');
  const txa = requireSegment(msg, 'TXA', 'transcription document header');
  const typeCode = requireField(msg, txa, 2, 'document type');
  const textRows = msg
    .all('OBX')
    .filter((obx) => TEXT_TYPES.has(field(obx, 2)?.toUpperCase() ?? 'TX'));
  const lines = textRows.flatMap((obx) =>
    reps(obx, 5).map((r) =>
      r
        .map((c) => c[0] ?? '')
        .join('^')
        .trimEnd(),
    ),
  );
  const completionStatus = field(txa, 17)?.toUpperCase();
  const document: DocumentDetailsRecord = {
    documentType: {
      system: 'http://terminology.hl7.org/CodeSystem/v2-0270',
      code: typeCode,
      ...(comp(rep(txa, 2), 2) && { display: comp(rep(txa, 2), 2) }),
    },
    status: completionStatus && FINAL.has(completionStatus) ? 'final' : 'preliminary',
    text: lines.join('\n'),
  };
  if (completionStatus) document.completionStatus = completionStatus;
  const unique = field(txa, 12);
  const parent = field(txa, 13);
  const confidentiality = field(txa, 18);
  if (unique) document.uniqueDocumentNumber = unique;
  if (parent) document.parentDocumentNumber = parent;
  if (confidentiality) document.confidentiality = confidentiality.toUpperCase();
  const activityAt = dateTimeField(msg, txa, 4, ctx) ?? dateTimeField(msg, txa, 6, ctx);
  if (activityAt) document.activityAt = activityAt;
  const author = readPractitioner(rep(txa, 9), ctx) ?? readPractitioner(rep(txa, 5), ctx);
  if (author) document.author = author;
  const record: DocumentRecord = {
    kind: 'document',
    event: 'T02',
    mappingVersion: 'mdm-1',
    patient: patientOf(msg, pid, ctx),
    document,
  };
  const visitNumber = field(msg.segment('PV1'), 19);
  if (visitNumber) record.visitNumber = visitNumber;
  return record;
}
