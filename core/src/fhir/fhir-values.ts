import type * as fhir from 'fhir/r4.js';
import type { Address, CodedConcept, ContactPoint, HumanName } from '@caregraph/schema';

/** Code systems used by the mappers. */
export const FHIR_SYSTEMS = {
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  v3ParticipationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  v3Interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  v3DataOperation: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
  v3RoleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  goalAchievement: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  provenanceParticipant: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  ucum: 'http://unitsofmeasure.org',
  loinc: 'http://loinc.org',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  bcp47: 'urn:ietf:bcp:47',
  /** CareGraph's own code systems and identifier namespaces. */
  careTeam: 'urn:caregraph:care-team',
  user: 'urn:caregraph:user',
  channel: 'urn:caregraph:communication-channel',
  communicationCategory: 'urn:caregraph:communication-category',
  deliveryStatus: 'urn:caregraph:communication-delivery-status',
  consentPurpose: 'urn:caregraph:consent-purpose',
  visitNumber: 'urn:caregraph:visit-number',
} as const;

/** `{ reference: 'Type/id' }`. */
export function reference(type: string, id: string, display?: string): fhir.Reference {
  return display ? { reference: `${type}/${id}`, display } : { reference: `${type}/${id}` };
}

/** An instant (`2026-11-24T06:39:43.000Z`), or undefined. */
export function instant(date: Date | string | null | undefined): string | undefined {
  if (date === null || date === undefined) return undefined;
  return new Date(date).toISOString();
}

/** A period from optional start and end (undefined when both are absent). */
export function period(
  start: Date | string | null | undefined,
  end: Date | string | null | undefined,
): fhir.Period | undefined {
  const value: fhir.Period = {};
  if (start) value.start = typeof start === 'string' ? start : start.toISOString();
  if (end) value.end = typeof end === 'string' ? end : end.toISOString();
  return value.start || value.end ? value : undefined;
}

/** A Coding from a CodedConcept (absent parts omitted). */
export function coding(concept: CodedConcept): fhir.Coding {
  return withoutEmpty({ system: concept.system, code: concept.code, display: concept.display });
}

/** A CodeableConcept with one coding and the display as text. */
export function codeable(
  concept: CodedConcept | null | undefined,
): fhir.CodeableConcept | undefined {
  if (!concept || (!concept.code && !concept.display)) return undefined;
  return withoutEmpty({
    coding: concept.code ? [coding(concept)] : undefined,
    text: concept.display,
  });
}

/** A CodeableConcept of one code from `system`. */
export function code(system: string, value: string, display?: string): fhir.CodeableConcept {
  return { coding: [withoutEmpty({ system, code: value, display })] };
}

/** A CodeableConcept with text only. */
export function text(value: string | null | undefined): fhir.CodeableConcept | undefined {
  return value ? { text: value } : undefined;
}

/** A FHIR HumanName. */
export function humanName(name: HumanName): fhir.HumanName {
  const given = name.given ?? [];
  const prefix = name.prefix ?? [];
  const suffix = name.suffix ?? [];
  return withoutEmpty({
    use: name.use as fhir.HumanName['use'],
    text: [...prefix, ...given, name.family, ...suffix].filter(Boolean).join(' ') || undefined,
    family: name.family,
    given: given.length ? given : undefined,
    prefix: prefix.length ? prefix : undefined,
    suffix: suffix.length ? suffix : undefined,
  });
}

/** A FHIR ContactPoint (verification is CareGraph-only and not exported). */
export function contactPoint(point: ContactPoint): fhir.ContactPoint {
  return withoutEmpty({
    system: point.system as fhir.ContactPoint['system'],
    value: point.value,
    use: point.use as fhir.ContactPoint['use'],
    rank: point.rank ?? undefined,
  });
}

/** A FHIR Address. */
export function address(value: Address): fhir.Address {
  const line = value.line ?? [];
  return withoutEmpty({
    use: value.use as fhir.Address['use'],
    line: line.length ? line : undefined,
    city: value.city,
    state: value.state,
    postalCode: value.postalCode,
    country: value.country,
  });
}

/** Security labels (v3 ActCode: PSY, HIV…) as `meta.security`, or undefined. */
export function securityMeta(labels: readonly string[] | undefined): fhir.Meta | undefined {
  if (!labels?.length) return undefined;
  return { security: labels.map((label) => ({ system: FHIR_SYSTEMS.v3ActCode, code: label })) };
}

/** A note as FHIR Annotation list, or undefined. */
export function notes(value: string | null | undefined): fhir.Annotation[] | undefined {
  return value ? [{ text: value }] : undefined;
}

/**
 * Drops keys whose value is undefined, null, '' or an empty array: FHIR JSON forbids empty
 * values and nulls.
 */
export function withoutEmpty<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0),
    ),
  ) as T;
}
