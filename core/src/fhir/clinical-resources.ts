import type * as fhir from 'fhir/r4.js';
import type { AllergyIntolerance, Condition, Immunization, Observation } from '@caregraph/schema';
import type { ExportRefs } from './export-refs.js';
import {
  FHIR_SYSTEMS,
  code,
  codeable,
  instant,
  notes,
  reference,
  securityMeta,
  text,
  withoutEmpty,
} from './fhir-values.js';

function quantity(value: number | null | undefined, unit: string | null | undefined) {
  if (value === null || value === undefined) return undefined;
  return withoutEmpty({
    value,
    unit: unit ?? undefined,
    system: unit ? FHIR_SYSTEMS.ucum : undefined,
    code: unit ?? undefined,
  });
}

/** An Observation resource (lab result, vital sign, device reading). */
export function toFhirObservation(observation: Observation, refs: ExportRefs): fhir.Observation {
  const low = quantity(observation.referenceRangeLow, observation.unit);
  const high = quantity(observation.referenceRangeHigh, observation.unit);
  const range = withoutEmpty({ low, high, text: observation.referenceRangeText });
  // One value[x] only: a quantity, else a code, else text.
  const valueQuantity = quantity(observation.valueQuantity, observation.unit);
  const valueCodeableConcept = valueQuantity ? undefined : codeable(observation.valueCode);
  return withoutEmpty({
    resourceType: 'Observation' as const,
    id: observation.id,
    meta: withoutEmpty({
      lastUpdated: instant(observation.updatedAt),
      ...securityMeta(observation.securityLabels),
    }),
    status: observation.status as fhir.Observation['status'],
    category: [code(FHIR_SYSTEMS.observationCategory, observation.category)],
    code: codeable(observation.code) ?? { text: 'unknown' },
    subject: refs.patient(),
    encounter: observation.encounter ? reference('Encounter', observation.encounter.id) : undefined,
    effectiveDateTime: instant(observation.effectiveAt),
    issued: instant(observation.issuedAt),
    valueQuantity,
    valueCodeableConcept,
    valueString: !valueQuantity && !valueCodeableConcept ? observation.valueString : undefined,
    interpretation: observation.interpretation
      ? [code(FHIR_SYSTEMS.v3Interpretation, observation.interpretation)]
      : undefined,
    note: notes(observation.note),
    referenceRange: Object.keys(range).length ? [range] : undefined,
  });
}

/** A Condition resource (problem, diagnosis, health concern). */
export function toFhirCondition(condition: Condition, refs: ExportRefs): fhir.Condition {
  const enteredInError = condition.verificationStatus === 'entered-in-error';
  return withoutEmpty({
    resourceType: 'Condition' as const,
    id: condition.id,
    meta: withoutEmpty({
      lastUpdated: instant(condition.updatedAt),
      ...securityMeta(condition.securityLabels),
    }),
    // con-5: no clinical status on an entered-in-error condition.
    clinicalStatus: enteredInError
      ? undefined
      : code(FHIR_SYSTEMS.conditionClinical, condition.clinicalStatus),
    verificationStatus: code(FHIR_SYSTEMS.conditionVerification, condition.verificationStatus),
    category: [code(FHIR_SYSTEMS.conditionCategory, condition.category)],
    severity: text(condition.severity),
    code: codeable(condition.code),
    subject: refs.patient(),
    onsetDateTime: condition.onsetDate ?? undefined,
    abatementDateTime: condition.abatementDate ?? undefined,
    recordedDate: instant(condition.recordedAt),
    note: notes(condition.note),
  });
}

/** An AllergyIntolerance resource. */
export function toFhirAllergy(
  allergy: AllergyIntolerance,
  refs: ExportRefs,
): fhir.AllergyIntolerance {
  const enteredInError = allergy.verificationStatus === 'entered-in-error';
  return withoutEmpty({
    resourceType: 'AllergyIntolerance' as const,
    id: allergy.id,
    meta: { lastUpdated: instant(allergy.updatedAt) },
    // ait-2: no clinical status on an entered-in-error record.
    clinicalStatus: enteredInError
      ? undefined
      : code(FHIR_SYSTEMS.allergyClinical, allergy.clinicalStatus),
    verificationStatus: code(FHIR_SYSTEMS.allergyVerification, allergy.verificationStatus),
    type: allergy.type as fhir.AllergyIntolerance['type'],
    category: [allergy.category as NonNullable<fhir.AllergyIntolerance['category']>[number]],
    criticality: allergy.criticality as fhir.AllergyIntolerance['criticality'],
    code: codeable(allergy.code),
    patient: refs.patient(),
    onsetDateTime: allergy.onsetDate ?? undefined,
    recordedDate: instant(allergy.recordedAt),
    reaction: allergy.reaction ? [{ manifestation: [{ text: allergy.reaction }] }] : undefined,
  });
}

/** An Immunization resource. */
export function toFhirImmunization(
  immunization: Immunization,
  refs: ExportRefs,
): fhir.Immunization {
  return withoutEmpty({
    resourceType: 'Immunization' as const,
    id: immunization.id,
    meta: { lastUpdated: instant(immunization.updatedAt) },
    status: immunization.status as fhir.Immunization['status'],
    vaccineCode: codeable(immunization.vaccineCode) ?? { text: 'unknown' },
    patient: refs.patient(),
    occurrenceDateTime: instant(immunization.occurrenceAt),
    lotNumber: immunization.lotNumber,
    site: text(immunization.site),
    route: text(immunization.route),
    protocolApplied:
      immunization.doseNumber !== null && immunization.doseNumber !== undefined
        ? [{ doseNumberPositiveInt: immunization.doseNumber }]
        : undefined,
  });
}
