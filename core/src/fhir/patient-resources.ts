import type * as fhir from 'fhir/r4.js';
import type { Patient, PatientIdentifier, RelatedPerson } from '@caregraph/schema';
import {
  FHIR_SYSTEMS,
  address,
  code,
  contactPoint,
  humanName,
  instant,
  period,
  reference,
  withoutEmpty,
} from './fhir-values.js';

/** A PatientIdentifier as a FHIR Identifier. */
export function toFhirIdentifier(identifier: PatientIdentifier): fhir.Identifier {
  return withoutEmpty({
    use: identifier.use as fhir.Identifier['use'],
    type: identifier.type ? code(FHIR_SYSTEMS.v2IdentifierType, identifier.type) : undefined,
    system: identifier.system,
    value: identifier.value,
    assigner: identifier.assigner ? { display: identifier.assigner } : undefined,
  });
}

/**
 * A Patient resource. `links` are the merge links: records merged into this one (`replaces`)
 * or the record this one was merged into (`replaced-by`).
 */
export function toFhirPatient(
  patient: Patient,
  identifiers: readonly PatientIdentifier[],
  links: readonly { other: string; type: 'replaces' | 'replaced-by' }[] = [],
): fhir.Patient {
  return withoutEmpty({
    resourceType: 'Patient' as const,
    id: patient.id,
    meta: { lastUpdated: instant(patient.updatedAt) },
    identifier: identifiers.map(toFhirIdentifier),
    active: patient.active,
    name: patient.names.map(humanName),
    telecom: patient.telecom.map(contactPoint),
    gender: patient.gender as fhir.Patient['gender'],
    birthDate: patient.birthDate ?? undefined,
    ...(patient.deceasedAt
      ? { deceasedDateTime: instant(patient.deceasedAt) }
      : { deceasedBoolean: patient.deceased }),
    address: patient.address.map(address),
    communication: patient.preferredLanguage
      ? [
          {
            language: code(FHIR_SYSTEMS.bcp47, patient.preferredLanguage),
            preferred: true,
          },
        ]
      : undefined,
    link: links.map((link) => ({ other: reference('Patient', link.other), type: link.type })),
  });
}

/** A RelatedPerson resource (caregiver, guardian, proxy). */
export function toFhirRelatedPerson(person: RelatedPerson): fhir.RelatedPerson {
  return withoutEmpty({
    resourceType: 'RelatedPerson' as const,
    id: person.id,
    meta: { lastUpdated: instant(person.updatedAt) },
    active: person.active,
    patient: reference('Patient', person.patient.id),
    relationship: [code(FHIR_SYSTEMS.v3RoleCode, person.relationship)],
    name: [humanName(person.name)],
    telecom: person.telecom.map(contactPoint),
    address: person.address.map(address),
    period: period(person.periodStart, person.periodEnd),
  });
}
