/** Which part of an appointment's time a placeholder shows. */
export type AppointmentTimePart = 'start' | 'date' | 'time';

const OPTIONS: Record<AppointmentTimePart, Intl.DateTimeFormatOptions> = {
  start: { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  date: { weekday: 'long', month: 'long', day: 'numeric' },
  time: { hour: 'numeric', minute: '2-digit' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An appointment time in the recipient's zone and language, e.g. `Tue, Mar 10, 3:30 PM` or
 * `mar, 10 mar, 15:30`. `withZone` adds the zone's short name to the parts that show the time.
 * ICU writes narrow and no-break spaces (`3:30\u202FPM`); they become plain spaces, since one of
 * them would switch a whole SMS to UCS-2 and halve its length.
 */
export function formatAppointmentTime(
  instant: Date,
  part: AppointmentTimePart,
  locale: string,
  timeZone: string,
  withZone: boolean,
): string {
  const zoneName = withZone && part !== 'date';
  const cacheKey = `${part}|${locale}|${timeZone}|${zoneName}`;
  let formatter = formatters.get(cacheKey);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      ...OPTIONS[part],
      timeZone,
      ...(zoneName ? { timeZoneName: 'short' } : {}),
    });
    formatters.set(cacheKey, formatter);
  }
  return formatter.format(instant).replace(/[\u00A0\u2007\u2009\u202F]/g, ' ');
}
