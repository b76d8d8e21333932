/** Filters for rows with a `periodStart`/`periodEnd` (memberships, enrolments). */
/** Filter for rows whose period has not ended at `now` (null end = open-ended). */
export function notEndedAt(now: Date): {
  $or: ({ periodEnd: null } | { periodEnd: { $gt: Date } })[];
} {
  return { $or: [{ periodEnd: null }, { periodEnd: { $gt: now } }] };
}

/** Filter for rows whose period is in force at `now`: started and not ended. */
export function activeAt(
  now: Date,
): { periodStart: { $lte: Date } } & ReturnType<typeof notEndedAt> {
  return { periodStart: { $lte: now }, ...notEndedAt(now) };
}

/** The same condition in SQL on table alias `alias`, with its two parameters. */
export function activeAtSql(alias: string, now: Date): { sql: string; params: [Date, Date] } {
  return {
    sql: `${alias}.period_start <= ? and (${alias}.period_end is null or ${alias}.period_end > ?)`,
    params: [now, now],
  };
}
