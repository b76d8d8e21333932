const OFFSET = /^P(?:(\d{1,3})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,5})M)?)?$/;

/**
 * The milliseconds of a rule's offset, an ISO 8601 duration of days, hours and minutes (`P7D`,
 * `PT24H`, `P1DT12H`, `PT90M`), or `undefined` when it is not one. Months and years are refused:
 * their length varies. A day is 24 hours here: "P1D before" a 09:00 appointment is 09:00 the day
 * before, except across a DST change, where it is 24 hours earlier (08:00 or 10:00 local) and the
 * allowed-hours check still applies.
 */
export function parseOffset(text: string): number | undefined {
  const match = OFFSET.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, days, hours, minutes] = match;
  if (days === undefined && hours === undefined && minutes === undefined) return undefined;
  const ms = ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000;
  return ms > 0 ? ms : undefined;
}
