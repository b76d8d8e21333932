import {
  instantOfWallTime,
  isValidTimeZone,
  wallClock,
  zoneOffsetMinutes,
} from '@caregraph/schema';
import { PolicyError, PolicyErrorCode } from './policy-error.js';

/** A local date (month 1-12) in a recipient's zone. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The wall-clock time of `at` in `timeZone`, written as if it were UTC (ms), as the schema's helpers take it. */
export function wallMsOf(at: Date, timeZone: string): number {
  return at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000;
}

/** `Date.UTC` of a local date and a time of day in minutes (a day past the month's end rolls over). */
export function wallMsAt(date: LocalDate, minuteOfDay: number): number {
  return Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
}

/**
 * The first instant at which the clock in `timeZone` shows `wallMs` or later: for a time that
 * exists, its first occurrence; for one skipped by a spring-forward gap, the end of the gap (02:30
 * on a day that jumps from 02:00 to 03:00 gives the instant the clock shows 03:00).
 * `instantOfWallTime` alone gives a time one gap away instead, later or earlier by the zone.
 */
export function firstInstantAtOrAfterWall(wallMs: number, timeZone: string): Date {
  const candidate = instantOfWallTime(wallMs, timeZone);
  const shown = wallMsOf(candidate, timeZone);
  if (shown === wallMs) return candidate;
  // In a gap: find where the local clock jumps past `wallMs`, between `lo` (showing an earlier
  // time) and `hi` (showing `wallMs` or later).
  let lo = shown > wallMs ? candidate.getTime() - (shown - wallMs) : candidate.getTime();
  let hi = shown > wallMs ? candidate.getTime() : candidate.getTime() + (wallMs - shown);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallMsOf(new Date(mid), timeZone) >= wallMs) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The local date of `at` in `timeZone`. */
export function localDateOf(at: Date, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(at, timeZone);
  return { year, month, day };
}

/** The first instant of the local day after the one `at` falls on (midnight, or the end of a gap there). */
export function startOfNextLocalDay(at: Date, timeZone: string): Date {
  const today = localDateOf(at, timeZone);
  return firstInstantAtOrAfterWall(wallMsAt({ ...today, day: today.day + 1 }, 0), timeZone);
}

/** Throws `CG_ERR_ENGAGEMENT_TIME_ZONE` unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone))
    throw new PolicyError(
      PolicyErrorCode.TIME_ZONE,
      `Unknown time zone "${timeZone}": use an IANA zone name such as America/New_York.`,
    );
}
