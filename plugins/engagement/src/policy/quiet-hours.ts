import { PolicyError, PolicyErrorCode } from './policy-error.js';
import {
  assertTimeZone,
  firstInstantAtOrAfterWall,
  localDateOf,
  wallMsAt,
  wallMsOf,
} from './wall-time.js';

/**
 * The hours of the recipient's local day in which messages may go out: from `start` (included)
 * to `end` (excluded), both `HH:MM` on a 24-hour clock. The window lies within one local day:
 * `start` must be before `end` (a window past midnight, such as 22:00–02:00, is refused).
 */
export interface SendingWindow {
  start: string;
  end: string;
}

/** 08:00 to 21:00 in the recipient's zone, the default of issue 6. */
export const DEFAULT_SENDING_WINDOW: SendingWindow = Object.freeze({
  start: '08:00',
  end: '21:00',
});

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minuteOfDay(value: string, key: 'start' | 'end'): number {
  const match = HH_MM.exec(value);
  if (!match)
    throw new PolicyError(
      PolicyErrorCode.QUIET_HOURS,
      `Sending window ${key} "${value}" is not a 24-hour time HH:MM (e.g. 08:00).`,
    );
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The window's bounds in minutes after local midnight; `CG_ERR_ENGAGEMENT_QUIET_HOURS` when invalid. */
export function parseSendingWindow(window: SendingWindow): { start: number; end: number } {
  const start = minuteOfDay(window.start, 'start');
  const end = window.end === '24:00' ? 24 * 60 : minuteOfDay(window.end, 'end');
  if (start >= end)
    throw new PolicyError(
      PolicyErrorCode.QUIET_HOURS,
      `Sending window ${window.start}–${window.end} must start before it ends within one local day (windows past midnight are not supported).`,
    );
  return { start, end };
}

/**
 * `at` when the recipient's local time in `timeZone` is inside `window`, else the next instant the
 * window opens: later the same local day, or on the next one. Local times follow the zone's
 * daylight-saving rules: a window start skipped by a spring-forward gap opens at the end of the
 * gap, and on a fall-back day the repeated hour is local time like any other.
 */
export function nextAllowedInstant(
  at: Date,
  timeZone: string,
  window: SendingWindow = DEFAULT_SENDING_WINDOW,
): Date {
  assertTimeZone(timeZone);
  const bounds = parseSendingWindow(window);
  // A candidate opening can itself fall outside the window when a gap swallows it (a zone that
  // skipped a whole day, Pacific/Apia in 2011): step again from there.
  let candidate = at;
  for (let step = 0; step < 4; step++) {
    const next = openingAtOrAfter(candidate, timeZone, bounds);
    if (next.getTime() === candidate.getTime()) return candidate;
    candidate = next;
  }
  return candidate;
}

/** `at` when inside the window, else the first instant its local clock reaches a window start. */
function openingAtOrAfter(
  at: Date,
  timeZone: string,
  { start, end }: { start: number; end: number },
): Date {
  const wallMs = wallMsOf(at, timeZone);
  const today = localDateOf(at, timeZone);
  const startToday = wallMsAt(today, start);
  if (wallMs >= startToday && wallMs < wallMsAt(today, end)) return at;
  if (wallMs < startToday) {
    const opens = firstInstantAtOrAfterWall(startToday, timeZone);
    if (opens >= at) return opens;
    // On a fall-back day `at` can be in the second pass of a repeated hour whose first pass held
    // the window start: the window then opens at the start's second occurrence.
    const secondOccurrence = new Date(at.getTime() + (startToday - wallMs));
    if (wallMsOf(secondOccurrence, timeZone) === startToday) return secondOccurrence;
  }
  return firstInstantAtOrAfterWall(wallMsAt({ ...today, day: today.day + 1 }, start), timeZone);
}

/** Whether `at` is inside the recipient's sending window. */
export function isWithinSendingWindow(
  at: Date,
  timeZone: string,
  window: SendingWindow = DEFAULT_SENDING_WINDOW,
): boolean {
  return nextAllowedInstant(at, timeZone, window).getTime() === at.getTime();
}
