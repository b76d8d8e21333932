import { formatAppointmentTime } from './format-appointment-time.js';

const start = new Date('2026-03-10T20:30:00Z');

describe('formatAppointmentTime', () => {
  it('writes the time in the recipient’s zone and language', () => {
    expect(formatAppointmentTime(start, 'start', 'en-US', 'America/Chicago', false)).toBe(
      'Tue, Mar 10, 3:30 PM',
    );
    expect(formatAppointmentTime(start, 'start', 'es', 'America/Chicago', false)).toBe(
      'mar, 10 mar, 15:30',
    );
    expect(formatAppointmentTime(start, 'date', 'es', 'Europe/Madrid', false)).toBe(
      'martes, 10 de marzo',
    );
    expect(formatAppointmentTime(start, 'time', 'en-US', 'America/New_York', false)).toBe(
      '4:30 PM',
    );
  });

  it('follows a daylight-saving change (the same UTC hour is an hour later in summer)', () => {
    const winter = new Date('2026-03-06T20:30:00Z');
    expect(formatAppointmentTime(winter, 'time', 'en-US', 'America/Chicago', false)).toBe(
      '2:30 PM',
    );
    expect(formatAppointmentTime(start, 'time', 'en-US', 'America/Chicago', false)).toBe('3:30 PM');
  });

  it('names the zone when asked, on the parts that show a time', () => {
    expect(formatAppointmentTime(start, 'time', 'en-US', 'America/Chicago', true)).toBe(
      '3:30 PM CDT',
    );
    expect(formatAppointmentTime(start, 'date', 'en-US', 'America/Chicago', true)).toBe(
      'Tuesday, March 10',
    );
  });

  it('never leaves narrow or no-break spaces in the output', () => {
    for (const locale of ['en-US', 'es-MX', 'fr', 'de'])
      expect(formatAppointmentTime(start, 'start', locale, 'UTC', true)).not.toMatch(
        /[\u00A0\u2007\u2009\u202F]/,
      );
  });
});
