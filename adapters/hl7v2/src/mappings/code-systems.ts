/**
 * Namespaces: identifier systems (CX/XCN/EI assigning authorities) and code systems (the coding
 * system names of CE/CWE, HL7 table 0396) as URIs. Documented in the package README
 * ("Identifier systems", "Code systems").
 */
import type { AssigningAuthority } from './hooks.js';

/** US SSN and NPI, the two national identifiers with a well-known FHIR system. */
export const US_SSN_SYSTEM = 'http://hl7.org/fhir/sid/us-ssn';
export const US_NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
/** ISO/IEEE 11073-10101 nomenclature (MDC codes of medical devices). */
export const MDC_SYSTEM = 'urn:iso:std:iso:11073:10101';
export const LOINC_SYSTEM = 'http://loinc.org';
export const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URI = /^(https?:\/\/|urn:)\S+$/i;

/** A URN-safe form of a name from a message: percent-encoded, so `Priority Health` stays one token. */
export function urnPart(text: string): string {
  return encodeURIComponent(text.trim());
}

/**
 * The default identifier system rule:
 * 1. HD-2 universal id: an OID (HD-3 `ISO`, or OID-shaped) gives `urn:oid:<oid>`, a UUID
 *    `urn:uuid:<uuid>`, a URI (HD-3 `URI`/`URL`, or URI-shaped) itself;
 * 2. type `SS` with no authority (or `SSA`/`USSSA`) gives the US SSN system; type or authority
 *    `NPI` the US NPI system;
 * 3. otherwise `urn:hl7v2:<authority>[:<type>]`, with authority = HD-1 (else the universal id as
 *    sent, else `fallbackAuthority`: CX-6, MSH-4.1 or MSH-3.1) and type = the table 0203 code.
 *    The type is part of the system so that an MRN and an account number with the same value
 *    never name the same person.
 */
export function defaultIdentifierSystem(
  authority: AssigningAuthority,
  typeCode: string | undefined,
  fallbackAuthority: string,
): string {
  const universal = authority.universalId?.trim();
  const universalType = authority.universalIdType?.trim().toUpperCase();
  if (universal) {
    if (universalType === 'ISO' || (!universalType && OID.test(universal))) {
      if (OID.test(universal)) return `urn:oid:${universal}`;
    }
    if (universalType === 'UUID' || UUID.test(universal)) {
      if (UUID.test(universal)) return `urn:uuid:${universal.toLowerCase()}`;
    }
    if (URI.test(universal)) return universal;
  }
  const namespace = authority.namespaceId?.trim();
  const type = typeCode?.trim().toUpperCase();
  const upperNamespace = namespace?.toUpperCase();
  if (type === 'SS' && (!namespace || upperNamespace === 'SSA' || upperNamespace === 'USSSA')) {
    return US_SSN_SYSTEM;
  }
  if (type === 'NPI' || upperNamespace === 'NPI') return US_NPI_SYSTEM;
  const name = namespace || universal || fallbackAuthority;
  return `urn:hl7v2:${urnPart(name)}${type ? `:${urnPart(type)}` : ''}`;
}

const CODE_SYSTEMS: Readonly<Record<string, string>> = {
  LN: LOINC_SYSTEM,
  LOINC: LOINC_SYSTEM,
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  SNM3: 'http://snomed.info/sct',
  SNOMED: 'http://snomed.info/sct',
  SNOMEDCT: 'http://snomed.info/sct',
  I10: 'http://hl7.org/fhir/sid/icd-10-cm',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cm',
  ICD10: 'http://hl7.org/fhir/sid/icd-10-cm',
  ICD10CM: 'http://hl7.org/fhir/sid/icd-10-cm',
  'ICD-10-CM': 'http://hl7.org/fhir/sid/icd-10-cm',
  I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9CM: 'http://hl7.org/fhir/sid/icd-9-cm',
  CVX: CVX_SYSTEM,
  MVX: 'http://terminology.hl7.org/CodeSystem/MVX',
  RXNORM: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  RXN: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  NDC: 'http://hl7.org/fhir/sid/ndc',
  CPT: 'http://www.ama-assn.org/go/cpt',
  C4: 'http://www.ama-assn.org/go/cpt',
  CPT4: 'http://www.ama-assn.org/go/cpt',
  'CPT-4': 'http://www.ama-assn.org/go/cpt',
  UCUM: 'http://unitsofmeasure.org',
  MDC: MDC_SYSTEM,
  ISO639: 'urn:ietf:bcp:47',
  NPI: US_NPI_SYSTEM,
};

/**
 * The default code system rule: a known table 0396 name gives its URI (LN → `http://loinc.org`,
 * CVX, SCT, I10, RXNORM, NDC, CPT, UCUM, MDC…); `HL7nnnn` gives
 * `http://terminology.hl7.org/CodeSystem/v2-nnnn`; a local code (no name, `L`, `LOCAL`, `99zzz`)
 * gives `urn:hl7v2:local:<MSH-3>[:<99zzz>]`; any other name `urn:hl7v2:cs:<name>`.
 */
export function defaultCodeSystem(name: string | undefined, sendingApplication: string): string {
  const trimmed = name?.trim() ?? '';
  const upper = trimmed.toUpperCase();
  const known = CODE_SYSTEMS[upper];
  if (known) return known;
  const table = /^HL7(\d{4})$/.exec(upper);
  if (table) return `http://terminology.hl7.org/CodeSystem/v2-${table[1]}`;
  if (URI.test(trimmed)) return trimmed;
  const local = `urn:hl7v2:local:${urnPart(sendingApplication || 'unknown')}`;
  if (upper === '' || upper === 'L' || upper === 'LOCAL') return local;
  if (/^99/.test(upper)) return `${local}:${urnPart(trimmed)}`;
  return `urn:hl7v2:cs:${urnPart(trimmed)}`;
}

const ISO_639_2: Readonly<Record<string, string>> = {
  eng: 'en',
  spa: 'es',
  fra: 'fr',
  fre: 'fr',
  deu: 'de',
  ger: 'de',
  ita: 'it',
  por: 'pt',
  zho: 'zh',
  chi: 'zh',
  vie: 'vi',
  kor: 'ko',
  rus: 'ru',
  ara: 'ar',
  jpn: 'ja',
  pol: 'pl',
  tgl: 'tl',
  hin: 'hi',
  som: 'so',
  nld: 'nl',
  dut: 'nl',
  ell: 'el',
  gre: 'el',
  heb: 'he',
  tur: 'tr',
  ukr: 'uk',
  fas: 'fa',
  per: 'fa',
  hat: 'ht',
  ben: 'bn',
  urd: 'ur',
  pan: 'pa',
};

const BCP47 = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * A language code as sent (PID-15.1: `en`, `EN`, `ENG`, `en_US`, `SPA`) as a BCP-47 tag, or
 * undefined when it is not one. ISO 639-2 codes with a 2-letter equivalent are shortened.
 */
export function toLanguageTag(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const [primary = '', ...rest] = code.trim().replace(/_/g, '-').split('-');
  const lower = primary.toLowerCase();
  const tag = [ISO_639_2[lower] ?? lower, ...rest].join('-');
  return BCP47.test(tag) ? tag : undefined;
}
