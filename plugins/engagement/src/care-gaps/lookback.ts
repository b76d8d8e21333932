/** An ISO 8601 period of whole years, months and days, e.g. `P6M`, `P1Y`, `P2Y`, `P1Y6M`, `P90D`. */
const LOOKBACK = /^P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,5})D)?$/;

/** A parsed lookback. */
export interface Lookback {
  years: number;
  months: number;
  days: number;
}

/** Parses a lookback; undefined when it is not one (or is zero). */
export function parseLookback(text: string): Lookback | undefined {
  const match = LOOKBACK.exec(text);
  if (!match || text === 'P') return undefined;
  const [years, months, days] = [match[1], match[2], match[3]].map((n) => Number(n ?? 0));
  if (years! + months! + days! === 0) return undefined;
  return { years: years!, months: months!, days: days! };
}

/**
 * The earliest time evidence may have to count: `now` minus the lookback, on the UTC calendar
 * (a month back from 31 March is the last day of February, not 3 March).
 */
export function lookbackStart(now: Date, lookback: string): Date {
  const parsed = parseLookback(lookback);
  if (!parsed) throw new RangeError(`not a lookback: ${lookback}`);
  const monthsBack = parsed.years * 12 + parsed.months;
  const target = new Date(now.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() - monthsBack);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  target.setUTCDate(target.getUTCDate() - parsed.days);
  return target;
}

/**
 * The birth dates (`YYYY-MM-DD`, inclusive `from`, inclusive `to`) of people aged `min` to `max`
 * years on `now`'s UTC date. A bound left out is open.
 */
export function birthDateRange(
  now: Date,
  min?: number,
  max?: number,
): { from?: string; to?: string } {
  const day = (years: number, extraDays: number) => {
    const date = new Date(
      Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()),
    );
    // 29 February in a year without one: born on 1 March, the birthday is on 1 March.
    if (date.getUTCMonth() !== now.getUTCMonth()) date.setUTCDate(0);
    date.setUTCDate(date.getUTCDate() + extraDays);
    return date.toISOString().slice(0, 10);
  };
  return {
    // Aged at most `max`: not yet `max + 1`, so born after that many years ago.
    ...(max !== undefined ? { from: day(max + 1, 1) } : {}),
    ...(min !== undefined ? { to: day(min, 0) } : {}),
  };
}
