import { birthDateRange, lookbackStart, parseLookback } from './lookback.js';

describe('parseLookback', () => {
  it('reads years, months and days', () => {
    expect(parseLookback('P6M')).toEqual({ years: 0, months: 6, days: 0 });
    expect(parseLookback('P1Y6M')).toEqual({ years: 1, months: 6, days: 0 });
    expect(parseLookback('P90D')).toEqual({ years: 0, months: 0, days: 90 });
  });

  it('refuses times, zero and malformed periods', () => {
    for (const text of ['P', 'P0Y', 'PT24H', '6M', 'P-1Y', 'P1W', ''])
      expect(parseLookback(text)).toBeUndefined();
  });
});

describe('lookbackStart', () => {
  const now = new Date('2026-12-03T15:00:00Z');

  it('goes back on the UTC calendar', () => {
    expect(lookbackStart(now, 'P6M').toISOString()).toBe('2026-06-03T15:00:00.000Z');
    expect(lookbackStart(now, 'P2Y').toISOString()).toBe('2024-12-03T15:00:00.000Z');
    expect(lookbackStart(now, 'P10D').toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });

  it('clamps to the end of a shorter month', () => {
    expect(lookbackStart(new Date('2026-08-31T00:00:00Z'), 'P6M').toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
    expect(lookbackStart(new Date('2028-02-29T00:00:00Z'), 'P1Y').toISOString()).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });

  it('throws on a period that is not a lookback', () => {
    expect(() => lookbackStart(now, 'PT1H')).toThrow(RangeError);
  });
});

describe('birthDateRange', () => {
  const now = new Date('2026-12-03T15:00:00Z');

  it('gives the birth dates of ages 50 to 74 inclusive', () => {
    // 74 until the day before their 75th birthday; 50 from their 50th birthday.
    expect(birthDateRange(now, 50, 74)).toEqual({ from: '1951-12-04', to: '1976-12-03' });
  });

  it('leaves a bound out when no age bound is given', () => {
    expect(birthDateRange(now, 18)).toEqual({ to: '2008-12-03' });
    expect(birthDateRange(now, undefined, 75)).toEqual({ from: '1950-12-04' });
    expect(birthDateRange(now)).toEqual({});
  });

  it('puts a 29 February birthday on 1 March in other years', () => {
    expect(birthDateRange(new Date('2028-02-29T12:00:00Z'), 1)).toEqual({ to: '2027-02-28' });
  });
});
