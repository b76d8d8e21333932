import type { EntityManager } from '@mikro-orm/core';
import type {
  PatientDataScope,
  PatientExportScope,
  PluginFhirResource,
} from '@caregraph/plugin-sdk';
import { OutboundMessage } from '../outbound/outbound-message.js';
import { ClinicalDocument } from '../store/clinical-document.js';
import { IntegrationMessage } from '../store/integration-message.js';
import { documentsOf, inboundMessagesOf, outboundMessagesOf, pagesOf } from './patient-rows.js';

/** MIME type of an HL7 v2 message in ER7 (pipe) encoding, as FHIR `Binary` carries it. */
export const HL7_V2_CONTENT_TYPE = 'x-application/hl7-v2+er7';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A clinical document as a FHIR DocumentReference, its text as a base64 attachment. */
export function toDocumentReference(
  document: ClinicalDocument,
  scope: PatientExportScope,
): PluginFhirResource {
  const { system, code, display } = document.type;
  return {
    resourceType: 'DocumentReference',
    id: document.id,
    masterIdentifier: { value: document.documentNumber },
    status: 'current',
    docStatus: document.status === 'final' ? 'final' : 'preliminary',
    type: { coding: [{ system, code, display }] },
    subject: { reference: `Patient/${document.patientId}` },
    date: document.createdAt.toISOString(),
    ...(document.authorId ? { author: [scope.practitioner(document.authorId)] } : {}),
    ...(document.confidentiality
      ? {
          securityLabel: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v2-0272',
                  code: document.confidentiality,
                },
              ],
            },
          ],
        }
      : {}),
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: base64(document.text),
          ...(document.activityAt ? { creation: document.activityAt.toISOString() } : {}),
        },
      },
    ],
  };
}

/** A stored HL7 message as a FHIR Binary (the text as received or sent, base64). */
export function toMessageBinary(
  id: string,
  text: string,
  patientId: string | undefined,
): PluginFhirResource {
  return {
    resourceType: 'Binary',
    id,
    contentType: HL7_V2_CONTENT_TYPE,
    ...(patientId ? { securityContext: { reference: `Patient/${patientId}` } } : {}),
    data: base64(text),
  };
}

/** How many resources `exportPatientData` yields. */
export async function countPatientData(
  scope: PatientDataScope,
  patientIds: readonly string[],
): Promise<number> {
  const { em } = scope;
  return (
    (await em.count(ClinicalDocument, documentsOf(scope, patientIds))) +
    (await em.count(IntegrationMessage, await inboundMessagesOf(scope, patientIds))) +
    (await em.count(OutboundMessage, outboundMessagesOf(scope, patientIds)))
  );
}

/**
 * The adapter's part of a patient's export: the clinical documents (DocumentReference), then
 * the stored inbound and outbound messages about the patient (Binary, HL7 v2 text), read a page
 * at a time on a fork of the export's EntityManager (cleared between pages).
 */
export async function* exportPatientData(
  scope: PatientExportScope,
  patientIds: readonly string[],
): AsyncGenerator<PluginFhirResource> {
  const em: EntityManager = scope.em.fork();
  for await (const rows of pagesOf(em, ClinicalDocument, documentsOf(scope, patientIds))) {
    for (const row of rows) yield toDocumentReference(row, scope);
    em.clear();
  }
  const inbound = await inboundMessagesOf(scope, patientIds);
  for await (const rows of pagesOf(em, IntegrationMessage, inbound, { populate: ['raw'] })) {
    for (const row of rows) yield toMessageBinary(row.id, row.raw, row.patientId);
    em.clear();
  }
  const outbound = outboundMessagesOf(scope, patientIds);
  for await (const rows of pagesOf(em, OutboundMessage, outbound, { populate: ['text'] })) {
    for (const row of rows) yield toMessageBinary(row.id, row.text, row.patientId);
    em.clear();
  }
}
