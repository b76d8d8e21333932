import type * as fhir from 'fhir/r4.js';
import type { MedicationRequest, MedicationStatement } from '@caregraph/schema';
import type { ExportRefs } from './export-refs.js';
import {
  FHIR_SYSTEMS,
  codeable,
  instant,
  notes,
  period,
  securityMeta,
  withoutEmpty,
} from './fhir-values.js';

/** A MedicationStatement resource (what the patient takes or took). */
export function toFhirMedicationStatement(
  statement: MedicationStatement,
  refs: ExportRefs,
): fhir.MedicationStatement {
  return withoutEmpty({
    resourceType: 'MedicationStatement' as const,
    id: statement.id,
    meta: { lastUpdated: instant(statement.updatedAt) },
    status: statement.status as fhir.MedicationStatement['status'],
    medicationCodeableConcept: codeable(statement.medication) ?? { text: 'unknown' },
    subject: refs.patient(),
    effectivePeriod: period(statement.effectiveStart, statement.effectiveEnd),
    dateAsserted: instant(statement.createdAt),
    dosage: statement.dosageText ? [{ text: statement.dosageText }] : undefined,
    note: notes(statement.note),
  });
}

/** A MedicationRequest resource (prescription). */
export function toFhirMedicationRequest(
  request: MedicationRequest,
  refs: ExportRefs,
): fhir.MedicationRequest {
  const dispenseRequest = withoutEmpty({
    numberOfRepeatsAllowed: request.refillsAllowed ?? undefined,
    quantity:
      request.quantity !== null && request.quantity !== undefined
        ? { value: request.quantity }
        : undefined,
    expectedSupplyDuration:
      request.daysSupply !== null && request.daysSupply !== undefined
        ? { value: request.daysSupply, unit: 'days', system: FHIR_SYSTEMS.ucum, code: 'd' }
        : undefined,
  });
  return withoutEmpty({
    resourceType: 'MedicationRequest' as const,
    id: request.id,
    meta: withoutEmpty({
      lastUpdated: instant(request.updatedAt),
      ...securityMeta(request.securityLabels),
    }),
    status: request.status as fhir.MedicationRequest['status'],
    intent: request.intent as fhir.MedicationRequest['intent'],
    medicationCodeableConcept: codeable(request.medication) ?? { text: 'unknown' },
    subject: refs.patient(),
    authoredOn: instant(request.authoredOn),
    requester: refs.practitioner(request.requester?.id),
    dosageInstruction: request.dosageText ? [{ text: request.dosageText }] : undefined,
    dispenseRequest: Object.keys(dispenseRequest).length ? dispenseRequest : undefined,
  });
}
