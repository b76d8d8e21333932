import { instantOfWallTime, isValidTimeZone, wallClock, zoneOffsetMinutes } from './time-zone.js';

describe('wallClock', () => {
  it('reads an instant in a zone, daylight saving included', () => {
    expect(wallClock(new Date('2024-01-05T16:30:15Z'), 'America/Chicago')).toEqual({
      year: 2024,
      month: 1,
      day: 5,
      hour: 10,
      minute: 30,
      second: 15,
    });
    expect(wallClock(new Date('2024-07-05T15:30:00Z'), 'America/Chicago').hour).toBe(10);
    // Midnight is hour 0, never 24; the date moves with the zone.
    expect(wallClock(new Date('2024-07-05T04:00:00Z'), 'America/New_York')).toMatchObject({
      day: 5,
      hour: 0,
    });
    expect(wallClock(new Date('2024-07-05T04:00:00Z'), 'America/Los_Angeles')).toMatchObject({
      day: 4,
      hour: 21,
    });
  });

  it('throws a RangeError for an unknown zone', () => {
    expect(() => wallClock(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zoneOffsetMinutes', () => {
  it('is the offset east of UTC at that instant', () => {
    expect(zoneOffsetMinutes(new Date('2024-01-05T12:00:00Z'), 'America/Chicago')).toBe(-360);
    expect(zoneOffsetMinutes(new Date('2024-07-05T12:00:00Z'), 'America/Chicago')).toBe(-300);
    expect(zoneOffsetMinutes(new Date('2024-07-05T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(new Date('2024-07-05T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('handles years before 100', () => {
    expect(zoneOffsetMinutes(new Date('0050-06-01T12:00:00Z'), 'UTC')).toBe(0);
  });
});

describe('instantOfWallTime', () => {
  const wall = (y: number, m: number, d: number, h: number, min: number) =>
    Date.UTC(y, m - 1, d, h, min);

  it('is the instant the zone shows that wall-clock time', () => {
    expect(instantOfWallTime(wall(2024, 1, 5, 10, 30), 'America/Chicago')).toEqual(
      new Date('2024-01-05T16:30:00Z'),
    );
    expect(instantOfWallTime(wall(2024, 7, 5, 10, 30), 'America/Chicago')).toEqual(
      new Date('2024-07-05T15:30:00Z'),
    );
    expect(instantOfWallTime(wall(2024, 7, 5, 10, 30), 'UTC')).toEqual(
      new Date('2024-07-05T10:30:00Z'),
    );
  });

  it('takes the first of an ambiguous time and moves a skipped time forward', () => {
    // 01:30 on 3 November 2024 happens twice in Chicago (fall back): the first one is CDT.
    expect(instantOfWallTime(wall(2024, 11, 3, 1, 30), 'America/Chicago')).toEqual(
      new Date('2024-11-03T06:30:00Z'),
    );
    // 02:30 on 10 March 2024 does not exist (spring forward): it is 03:30 CDT.
    expect(instantOfWallTime(wall(2024, 3, 10, 2, 30), 'America/Chicago')).toEqual(
      new Date('2024-03-10T08:30:00Z'),
    );
  });

  it('does the same east of UTC, where the transitions fall on the other side of midnight UTC', () => {
    // Berlin falls back at 03:00 CEST on 27 October 2024: 02:30 first happens in CEST (00:30Z).
    expect(instantOfWallTime(wall(2024, 10, 27, 2, 30), 'Europe/Berlin')).toEqual(
      new Date('2024-10-27T00:30:00Z'),
    );
    // 02:15 on 31 March 2024 is skipped in Berlin: it is 03:15 CEST (01:15Z), not 01:15 CET.
    expect(instantOfWallTime(wall(2024, 3, 31, 2, 15), 'Europe/Berlin')).toEqual(
      new Date('2024-03-31T01:15:00Z'),
    );
    // Auckland springs forward at 02:00 NZST on 29 September 2024 (to 03:00 NZDT).
    expect(instantOfWallTime(wall(2024, 9, 29, 2, 30), 'Pacific/Auckland')).toEqual(
      new Date('2024-09-28T14:30:00Z'),
    );
    // Auckland falls back at 03:00 NZDT on 7 April 2024: 02:30 first happens in NZDT (13:30Z).
    expect(instantOfWallTime(wall(2024, 4, 7, 2, 30), 'Pacific/Auckland')).toEqual(
      new Date('2024-04-06T13:30:00Z'),
    );
  });

  it('round-trips with wallClock', () => {
    const at = instantOfWallTime(wall(2026, 12, 3, 8, 45), 'America/New_York');
    expect(wallClock(at, 'America/New_York')).toEqual({
      year: 2026,
      month: 12,
      day: 3,
      hour: 8,
      minute: 45,
      second: 0,
    });
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA zones', () => {
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('America/Chicago')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
