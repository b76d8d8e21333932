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
