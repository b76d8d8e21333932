import {
  defaultCodeSystem,
  defaultIdentifierSystem,
  toLanguageTag,
  US_NPI_SYSTEM,
  US_SSN_SYSTEM,
} from './code-systems.js';

describe('defaultIdentifierSystem', () => {
  it.each([
    [
      { universalId: '2.16.840.1.113883.19.5', universalIdType: 'ISO' },
      'MR',
      'urn:oid:2.16.840.1.113883.19.5',
    ],
    [{ namespaceId: 'HOSP', universalId: '1.2.3' }, 'MR', 'urn:oid:1.2.3'],
    [
      { universalId: 'A3A1C6F2-0B1B-4E7B-9F3A-6C1D2E3F4A5B', universalIdType: 'UUID' },
      undefined,
      'urn:uuid:a3a1c6f2-0b1b-4e7b-9f3a-6c1d2e3f4a5b',
    ],
    [
      { universalId: 'https://hospital.example.org/mrn', universalIdType: 'URI' },
      'MR',
      'https://hospital.example.org/mrn',
    ],
    [{}, 'SS', US_SSN_SYSTEM],
    [{ namespaceId: 'SSA' }, 'SS', US_SSN_SYSTEM],
    [{ namespaceId: 'NPI' }, undefined, US_NPI_SYSTEM],
    [{}, 'NPI', US_NPI_SYSTEM],
    [{ namespaceId: 'Priority Health' }, undefined, 'urn:hl7v2:Priority%20Health'],
    [{ namespaceId: 'GENHOSP' }, 'mr', 'urn:hl7v2:GENHOSP:MR'],
    [{ namespaceId: 'GENHOSP' }, 'AN', 'urn:hl7v2:GENHOSP:AN'],
    [{}, 'MR', 'urn:hl7v2:FALLBACK:MR'],
    [{ universalId: 'not-an-oid', universalIdType: 'ISO' }, undefined, 'urn:hl7v2:not-an-oid'],
  ])('%j type %s -> %s', (authority, type, system) => {
    expect(defaultIdentifierSystem(authority, type, 'FALLBACK')).toBe(system);
  });
});

describe('defaultCodeSystem', () => {
  it.each([
    ['LN', 'http://loinc.org'],
    ['LOINC', 'http://loinc.org'],
    ['SCT', 'http://snomed.info/sct'],
    ['I10', 'http://hl7.org/fhir/sid/icd-10-cm'],
    ['CVX', 'http://hl7.org/fhir/sid/cvx'],
    ['RXNORM', 'http://www.nlm.nih.gov/research/umls/rxnorm'],
    ['MDC', 'urn:iso:std:iso:11073:10101'],
    ['HL70078', 'http://terminology.hl7.org/CodeSystem/v2-0078'],
    [undefined, 'urn:hl7v2:local:LAB%201'],
    ['L', 'urn:hl7v2:local:LAB%201'],
    ['99ZZZ', 'urn:hl7v2:local:LAB%201:99ZZZ'],
    ['BRLI', 'urn:hl7v2:cs:BRLI'],
    ['http://example.org/cs', 'http://example.org/cs'],
  ])('%s -> %s', (name, system) => {
    expect(defaultCodeSystem(name, 'LAB 1')).toBe(system);
  });
});

describe('toLanguageTag', () => {
  it.each([
    ['en', 'en'],
    ['EN', 'en'],
    ['ENG', 'en'],
    ['SPA', 'es'],
    ['en_US', 'en-US'],
    ['hmn', 'hmn'],
    ['English', undefined],
    ['E', undefined],
    [undefined, undefined],
  ])('%s -> %s', (code, tag) => {
    expect(toLanguageTag(code)).toBe(tag);
  });
});
