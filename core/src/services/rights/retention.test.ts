import { addYears, retentionDecision } from './retention.js';

const settings = { retentionYears: 10, retentionMajorityAge: 18 };

describe('retention rule (issue 3: erasure respects medical-records retention)', () => {
  it('keeps an adult’s records N years after the last clinical activity', () => {
    const decision = retentionDecision(
      { birthDate: '1968-05-02', lastClinicalActivity: new Date('2024-03-10T14:30:00Z') },
      settings,
    );
    expect(decision).toEqual({
      erasableFrom: new Date('2034-03-11T00:00:00Z'),
      basis: 'LAST_CLINICAL_ACTIVITY',
    });
  });

  it('keeps a minor’s records until majority + N years when that is later', () => {
    const decision = retentionDecision(
      { birthDate: '2015-06-01', lastClinicalActivity: new Date('2020-01-01T00:00:00Z') },
      settings,
    );
    expect(decision).toEqual({
      erasableFrom: new Date('2043-06-01T00:00:00Z'),
      basis: 'AGE_OF_MAJORITY',
    });
  });

  it('applies no retention to a contact with no clinical activity', () => {
    expect(retentionDecision({ birthDate: '2015-06-01' }, settings)).toEqual({});
  });

  it('follows the configured number of years', () => {
    const decision = retentionDecision(
      { lastClinicalActivity: new Date('2020-01-01T00:00:00Z') },
      { retentionYears: 0, retentionMajorityAge: 18 },
    );
    expect(decision.erasableFrom).toEqual(new Date('2020-01-01T00:00:00Z'));
  });

  it('adds years in UTC, 29 February included', () => {
    expect(addYears(new Date('2024-02-29T00:00:00Z'), 1)).toEqual(new Date('2025-03-01T00:00:00Z'));
  });
});
