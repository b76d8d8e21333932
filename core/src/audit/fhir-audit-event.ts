import type { AuditEvent } from '@caregraph/schema';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const AUDIT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const PURPOSE = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';

/** DICOM event type of an audit row, from its CareGraph type. */
function eventType(row: AuditEvent): { system: string; code: string; display: string } {
  if (row.type === 'login.failed')
    return { system: DCM, code: '110114', display: 'User Authentication' };
  if (row.type.startsWith('break-glass'))
    return { system: DCM, code: '110113', display: 'Security Alert' };
  if (row.type.startsWith('patient.export'))
    return { system: DCM, code: '110106', display: 'Export' };
  if (row.action === 'R' || row.type.startsWith('subscription'))
    return { system: DCM, code: '110110', display: 'Patient Record' };
  return { system: AUDIT_TYPE, code: 'rest', display: 'RESTful Operation' };
}

/**
 * An audit row as a FHIR R4 AuditEvent resource (for SIEM export and the privacy office).
 * Carries what the row carries: references and codes, never PHI values.
 */
export function toFhirAuditEvent(row: AuditEvent): Record<string, unknown> {
  const detail = row.detail ?? {};
  const subtype = detail.subtype as { system: string; code: string; display: string } | undefined;
  const entity: Record<string, unknown>[] = [];
  if (row.patientId)
    entity.push({
      what: { reference: `Patient/${row.patientId}` },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    });
  if (row.entity && row.entity !== `Patient/${row.patientId}`)
    entity.push({
      what: { reference: row.entity },
      role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
    });
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    type: eventType(row),
    subtype: [
      subtype ?? { system: 'https://caregraph.dev/fhir/CodeSystem/audit-type', code: row.type },
    ],
    action: row.action,
    recorded: row.recordedAt.toISOString(),
    outcome: row.outcome,
    ...(row.purposeOfUse
      ? { purposeOfEvent: [{ coding: [{ system: PURPOSE, code: row.purposeOfUse }] }] }
      : {}),
    agent: [
      {
        ...(row.actorUserId ? { who: { reference: `User/${row.actorUserId}` } } : {}),
        requestor: true,
        role: row.actorRoles.map((role) => ({ text: role })),
        ...(row.clientAddress ? { network: { address: row.clientAddress, type: '2' } } : {}),
      },
    ],
    source: {
      observer: { display: 'CareGraph' },
      type: [{ system: DCM, code: '110150', display: 'Application' }],
    },
    ...(entity.length ? { entity } : {}),
    extension: [
      {
        url: 'https://caregraph.dev/fhir/StructureDefinition/audit-detail',
        valueString: JSON.stringify({
          ...detail,
          requestId: row.requestId,
          sequence: row.sequence,
        }),
      },
    ],
  };
}

/** A FHIR Bundle (collection) of audit rows. */
export function toFhirAuditBundle(rows: readonly AuditEvent[]): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: new Date().toISOString(),
    total: rows.length,
    entry: rows.map((row) => ({
      fullUrl: `urn:uuid:${row.id}`,
      resource: toFhirAuditEvent(row),
    })),
  };
}
