import { withheldLabels, withoutLabelsSql } from './sensitive-access.js';

const careTeam = { allowed: true, basis: 'careTeam' as const };

describe('withheldLabels', () => {
  it('withholds every label when sensitive records are not allowed at all', () => {
    expect(withheldLabels({ allowed: false }, [])).toEqual(
      expect.arrayContaining(['PSY', 'ETH', 'HIV', 'SEX', 'GDIS']),
    );
  });

  it('withholds restricted and very restricted records (R, V) only without the grant', () => {
    expect(withheldLabels({ allowed: false }, [])).toEqual(expect.arrayContaining(['R', 'V']));
    expect(withheldLabels(careTeam, [])).not.toEqual(expect.arrayContaining(['R']));
    expect(withheldLabels(careTeam, [])).not.toEqual(expect.arrayContaining(['V']));
  });

  it('withholds nothing from the patient themself or under an emergency override', () => {
    expect(withheldLabels({ allowed: true, basis: 'self' }, [])).toEqual([]);
    expect(
      withheldLabels({ allowed: true, basis: 'breakGlass' }, [
        { patientId: 'p', decision: 'deny', labels: ['PSY'] },
      ]),
    ).toEqual([]);
  });

  it('withholds only substance-use records (opt-in, 42 CFR Part 2) from the care team by default', () => {
    expect(withheldLabels(careTeam, []).sort()).toEqual(['ETH', 'SUD']);
  });

  it('shares Part 2 records after a PERMIT and withholds a category the patient refused', () => {
    const labels = withheldLabels(careTeam, [
      { patientId: 'p', decision: 'permit', labels: ['ETH'] },
      { patientId: 'p', decision: 'deny', labels: ['HIV'] },
    ]);
    expect(labels.sort()).toEqual(['HIV', 'SDV', 'STD']);
  });

  it('lets a refusal win over a permission of the same category', () => {
    expect(
      withheldLabels(careTeam, [
        { patientId: 'p', decision: 'permit', labels: ['PSY'] },
        { patientId: 'p', decision: 'deny', labels: ['MH'] },
      ]),
    ).toEqual(expect.arrayContaining(['PSY', 'MH', 'BH', 'PSYTHPN']));
  });
});

describe('withoutLabelsSql', () => {
  it('spells ?| as jsonb_exists_any so no operator is taken for a placeholder', () => {
    expect(withoutLabelsSql(['ETH', 'SUD'], 't')).toEqual({
      sql: 'not jsonb_exists_any(t.security_labels, array[?, ?]::text[])',
      params: ['ETH', 'SUD'],
    });
  });
});
