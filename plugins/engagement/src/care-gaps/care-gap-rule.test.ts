import { careGapRulesSchema, careGapRuleSchema, DEFAULT_CARE_GAP_RULES } from './care-gap-rule.js';

const rule = {
  key: 'test-gap',
  title: 'Care gap: test',
  population: { ageMin: 45, ageMax: 75 },
  evidence: [
    {
      kind: 'observation',
      codes: [{ system: 'http://loinc.org', codes: ['57905-2'] }],
      lookback: 'P1Y',
    },
  ],
};

describe('care-gap rules', () => {
  it('ship valid defaults for HbA1c in diabetes, the wellness visit and the screenings', () => {
    expect(careGapRulesSchema.parse([...DEFAULT_CARE_GAP_RULES]).map((r) => r.key)).toEqual([
      'hba1c-diabetes',
      'annual-wellness-visit',
      'breast-cancer-screening',
      'colorectal-cancer-screening',
    ]);
    const breast = DEFAULT_CARE_GAP_RULES.find((r) => r.key === 'breast-cancer-screening')!;
    expect(breast.population).toEqual({ sex: 'female', ageMin: 50, ageMax: 74 });
    expect(new Set(breast.evidence.map((e) => e.lookback))).toEqual(new Set(['P2Y']));
    const hba1c = DEFAULT_CARE_GAP_RULES.find((r) => r.key === 'hba1c-diabetes')!;
    expect(hba1c.population.conditions!.flatMap((c) => c.codes)).toEqual(
      expect.arrayContaining(['44054006', 'E11.*']),
    );
    expect(hba1c.evidence[0]).toMatchObject({ kind: 'observation', lookback: 'P6M' });
  });

  it('name the field of a bad rule', () => {
    const path = (input: unknown) => careGapRuleSchema.safeParse(input).error?.issues[0]?.path;
    expect(path({ ...rule, population: { ageMin: 70, ageMax: 60 } })).toEqual([
      'population',
      'ageMax',
    ]);
    expect(path({ ...rule, evidence: [{ ...rule.evidence[0], lookback: 'PT6H' }] })).toEqual([
      'evidence',
      0,
      'lookback',
    ]);
    expect(path({ ...rule, evidence: [{ ...rule.evidence[0], kind: 'procedure' }] })).toEqual([
      'evidence',
      0,
      'kind',
    ]);
    expect(path({ ...rule, population: { sex: 'f' } })).toEqual(['population', 'sex']);
    expect(path({ ...rule, key: 'Not A Key' })).toEqual(['key']);
    expect(path({ ...rule, evidence: [] })).toEqual(['evidence']);
  });

  it('refuse two rules with one key', () => {
    const result = careGapRulesSchema.safeParse([rule, rule]);
    expect(result.error?.issues[0]).toMatchObject({
      path: [1, 'key'],
      message: 'duplicate gap key',
    });
  });
});
