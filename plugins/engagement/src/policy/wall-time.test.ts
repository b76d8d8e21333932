import { firstInstantAtOrAfterWall, startOfNextLocalDay, wallMsOf } from './wall-time.js';

describe('firstInstantAtOrAfterWall', () => {
  it('is the instant the clock shows that time, when it exists', () => {
    expect(
      firstInstantAtOrAfterWall(Date.UTC(2024, 0, 10, 8, 0), 'Europe/Berlin').toISOString(),
    ).toBe('2024-01-10T07:00:00.000Z');
  });

  it('is the end of a spring-forward gap for a skipped time', () => {
    // Berlin, 31 March 2024: 02:00 CET jumps to 03:00 CEST at 01:00Z.
    expect(
      firstInstantAtOrAfterWall(Date.UTC(2024, 2, 31, 2, 15), 'Europe/Berlin').toISOString(),
    ).toBe('2024-03-31T01:00:00.000Z');
  });
});

describe('startOfNextLocalDay', () => {
  it('is the next local midnight, whatever the day length', () => {
    // 10 March 2024 in New York lasts 23 hours.
    expect(
      startOfNextLocalDay(new Date('2024-03-10T12:00:00Z'), 'America/New_York').toISOString(),
    ).toBe('2024-03-11T04:00:00.000Z');
  });

  it('is the end of the gap when midnight itself is skipped (America/Santiago)', () => {
    // 8 September 2024: 00:00 (UTC-4) jumps to 01:00 (UTC-3) at 04:00Z.
    expect(
      startOfNextLocalDay(new Date('2024-09-07T20:00:00Z'), 'America/Santiago').toISOString(),
    ).toBe('2024-09-08T04:00:00.000Z');
  });
});

describe('wallMsOf', () => {
  it('keeps the milliseconds of the instant', () => {
    expect(wallMsOf(new Date('2024-06-01T00:00:00.250Z'), 'Asia/Kolkata')).toBe(
      Date.UTC(2024, 5, 1, 5, 30, 0, 250),
    );
  });
});
