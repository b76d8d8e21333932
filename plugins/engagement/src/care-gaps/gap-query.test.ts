import { DEFAULT_CARE_GAP_RULES, type CareGapRule } from './care-gap-rule.js';
import { gapPeriod, openGapsStatement } from './gap-query.js';

const now = new Date('2026-12-03T15:00:00Z');
const range = { tenantId: 't', now, after: 'a', upTo: 'b' };
const placeholders = (sql: string) => sql.match(/\?/g)?.length ?? 0;

describe('openGapsStatement', () => {
  it('has a parameter for every placeholder, for each default rule', () => {
    for (const rule of DEFAULT_CARE_GAP_RULES) {
      const statement = openGapsStatement(rule, range);
      expect(placeholders(statement.sql)).toBe(statement.params.length);
    }
  });

  it('puts the population criteria and each lookback into the parameters, in text order', () => {
    const rule: CareGapRule = {
      key: 'breast',
      title: 'Breast screening',
      population: { sex: 'female' as CareGapRule['population']['sex'], ageMin: 50, ageMax: 74 },
      evidence: [
        {
          kind: 'observation',
          codes: [{ system: 'http://loinc.org', codes: ['24606-6'] }],
          lookback: 'P2Y',
        },
        {
          kind: 'appointment',
          codes: [{ system: 'http://snomed.info/sct', codes: ['24623*'] }],
          lookback: 'P1Y',
        },
      ],
    };
    const { params } = openGapsStatement(rule, range);
    expect(params.slice(-8)).toEqual([
      't',
      'a',
      'b',
      '1951-12-04',
      '1976-12-03',
      'female',
      '2024-12-03T15:00:00.000Z',
      '2025-12-03T15:00:00.000Z',
    ]);
    expect(params).toContain(
      JSON.stringify([{ system: 'http://snomed.info/sct', code: '24623', prefix: true }]),
    );
  });
});

describe('gapPeriod', () => {
  it('is the day of the latest evidence, or none', () => {
    expect(gapPeriod(new Date('2026-04-07T23:30:00Z'))).toBe('2026-04-07');
    expect(gapPeriod('2026-04-07T10:00:00.000Z')).toBe('2026-04-07');
    expect(gapPeriod(null)).toBe('none');
  });
});
