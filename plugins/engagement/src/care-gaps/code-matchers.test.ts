import { compileCodeMatchers, matchesCode, valueSetSchema } from './code-matchers.js';

describe('care-gap value sets', () => {
  it('compile codes and stems (E11.* and 44054006*) into matchers', () => {
    expect(
      compileCodeMatchers([
        { system: 'http://hl7.org/fhir/sid/icd-10-cm', codes: ['E11.*', 'E10.9'] },
        { system: 'http://snomed.info/sct', codes: ['44054006', '7321*'] },
      ]),
    ).toEqual([
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11', prefix: true },
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E10.9', prefix: false },
      { system: 'http://snomed.info/sct', code: '44054006', prefix: false },
      { system: 'http://snomed.info/sct', code: '7321', prefix: true },
    ]);
  });

  it('refuse codes that are not codes or stems', () => {
    for (const code of ['*', 'E11 9', "E11'--", 'E*11', ''])
      expect(valueSetSchema.safeParse({ system: 'x', codes: [code] }).success).toBe(false);
    expect(valueSetSchema.safeParse({ system: 'x', codes: [] }).success).toBe(false);
  });
});

describe('matchesCode', () => {
  const matchers = compileCodeMatchers([
    { system: 'http://hl7.org/fhir/sid/icd-10-cm', codes: ['E11.*'] },
    { system: 'http://snomed.info/sct', codes: ['44054006'] },
  ]);

  it('matches exact codes and stems of the same system only', () => {
    expect(
      matchesCode(matchers, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.65' }),
    ).toBe(true);
    expect(
      matchesCode(matchers, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11' }),
    ).toBe(true);
    expect(
      matchesCode(matchers, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E10.9' }),
    ).toBe(false);
    expect(matchesCode(matchers, { system: 'http://snomed.info/sct', code: '44054006' })).toBe(
      true,
    );
    expect(matchesCode(matchers, { system: 'http://snomed.info/sct', code: '4405400' })).toBe(
      false,
    );
    expect(matchesCode(matchers, { system: 'http://snomed.info/sct', code: 'E11.9' })).toBe(false);
    expect(matchesCode(matchers, { code: '44054006' })).toBe(false);
  });
});
