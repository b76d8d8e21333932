/**
 * Wall-clock arithmetic in IANA time zones on `Intl` alone: what the demo seed (clinic hours)
 * and the HL7 adapter (times sent without an offset) both need, in one place.
 */

/** Wall-clock fields of an instant in a time zone (month 1-12, hour 0-23). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const DAY_MS = 24 * 3_600_000;

/** One formatter per zone (they are costly to build); throws a RangeError for an unknown zone. */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (e.g. `America/Chicago`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of `date` in `timeZone` (a RangeError for an unknown zone). */
export function wallClock(date: Date, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of zoneFormatter(timeZone).formatToParts(date))
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    hour: fields.hour!,
    minute: fields.minute!,
    second: fields.second!,
  };
}

/** The offset of `timeZone` from UTC at the instant `date`, in minutes east of UTC. */
export function zoneOffsetMinutes(date: Date, timeZone: string): number {
  const c = wallClock(date, timeZone);
  const wall = new Date(Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second));
  // Date.UTC maps years 0-99 to 1900-1999.
  wall.setUTCFullYear(c.year);
  return Math.round((wall.getTime() - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant at which the wall clock in `timeZone` shows `wallMs`, a local date and time written
 * as if it were UTC (`Date.UTC(2024, 10, 3, 1, 30)` for 3 November 2024 01:30). An ambiguous time
 * (the autumn fall-back hour) is its first occurrence; a time skipped by a spring-forward gap
 * moves forward by the gap.
 */
export function instantOfWallTime(wallMs: number, timeZone: string): Date {
  // The zone's offsets a day either side cover any one transition near the time.
  const before = zoneOffsetMinutes(new Date(wallMs - DAY_MS), timeZone) * 60_000;
  const after = zoneOffsetMinutes(new Date(wallMs + DAY_MS), timeZone) * 60_000;
  const shows = (instant: number) =>
    zoneOffsetMinutes(new Date(instant), timeZone) * 60_000 === wallMs - instant;
  const candidates = [wallMs - before, wallMs - after].filter(shows);
  if (candidates.length) return new Date(Math.min(...candidates));
  // Skipped (the clock jumped over it): read at the offset before the jump, that is, moved
  // forward by the gap, whichever side of UTC the zone is.
  return new Date(wallMs - before);
}
