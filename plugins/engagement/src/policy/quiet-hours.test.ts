import { PolicyErrorCode } from './policy-error.js';
import {
  DEFAULT_SENDING_WINDOW,
  isWithinSendingWindow,
  nextAllowedInstant,
  parseSendingWindow,
} from './quiet-hours.js';

const next = (iso: string, timeZone: string, window = DEFAULT_SENDING_WINDOW) =>
  nextAllowedInstant(new Date(iso), timeZone, window).toISOString();

describe('nextAllowedInstant', () => {
  it('returns the instant itself inside the default 08:00–21:00 window', () => {
    // 12:00 EDT.
    expect(next('2024-03-10T16:00:00.000Z', 'America/New_York')).toBe('2024-03-10T16:00:00.000Z');
    // 20:59:59 EST is still allowed; 21:00 is not.
    expect(next('2024-01-16T01:59:59.000Z', 'America/New_York')).toBe('2024-01-16T01:59:59.000Z');
    expect(next('2024-01-16T02:00:00.000Z', 'America/New_York')).toBe('2024-01-16T13:00:00.000Z');
  });

  it('moves a reminder computed at 22:30 local to 08:00 the next local day', () => {
    // 22:30 EST on 15 January, 08:00 EST on the 16th.
    expect(next('2024-01-16T03:30:00.000Z', 'America/New_York')).toBe('2024-01-16T13:00:00.000Z');
  });

  it('opens later the same day when the local time is before the window', () => {
    // 06:00 EST on the fall-back day; the window opens at 08:00 EST.
    expect(next('2024-11-03T11:00:00.000Z', 'America/New_York')).toBe('2024-11-03T13:00:00.000Z');
  });

  describe('America/New_York', () => {
    it('spring-forward: 22:30 EST the evening before opens at 08:00 EDT (UTC-4)', () => {
      expect(next('2024-03-10T03:30:00.000Z', 'America/New_York')).toBe('2024-03-10T12:00:00.000Z');
    });

    it('fall-back: 22:30 EDT the evening before opens at 08:00 EST (UTC-5)', () => {
      expect(next('2024-11-03T02:30:00.000Z', 'America/New_York')).toBe('2024-11-03T13:00:00.000Z');
    });
  });

  describe('Europe/Berlin', () => {
    it('spring-forward: 21:00 CET the evening before opens at 08:00 CEST (UTC+2)', () => {
      expect(next('2024-03-30T20:00:00.000Z', 'Europe/Berlin')).toBe('2024-03-31T06:00:00.000Z');
    });

    it('fall-back: 23:00 CEST the evening before opens at 08:00 CET (UTC+1)', () => {
      expect(next('2024-10-26T21:00:00.000Z', 'Europe/Berlin')).toBe('2024-10-27T07:00:00.000Z');
    });
  });

  it('Asia/Kolkata: a half-hour offset (UTC+5:30)', () => {
    // 07:45 IST opens at 08:00 IST; 21:10 IST opens at 08:00 IST the next day.
    expect(next('2024-06-01T02:15:00.000Z', 'Asia/Kolkata')).toBe('2024-06-01T02:30:00.000Z');
    expect(next('2024-06-01T15:40:00.000Z', 'Asia/Kolkata')).toBe('2024-06-02T02:30:00.000Z');
  });

  describe('Pacific/Auckland (southern hemisphere: DST ends in April, starts in September)', () => {
    it('DST end: 22:30 NZDT opens at 08:00 NZST (UTC+12) the next day', () => {
      expect(next('2024-04-06T09:30:00.000Z', 'Pacific/Auckland')).toBe('2024-04-06T20:00:00.000Z');
    });

    it('DST start: 22:30 NZST opens at 08:00 NZDT (UTC+13) the next day', () => {
      expect(next('2024-09-28T10:30:00.000Z', 'Pacific/Auckland')).toBe('2024-09-28T19:00:00.000Z');
    });
  });

  it('a window start in a spring-forward gap opens at the end of the gap', () => {
    // 10 March 2024 in New York: 02:00 EST jumps to 03:00 EDT (07:00Z); 02:30 never happens.
    const window = { start: '02:30', end: '21:00' };
    expect(next('2024-03-10T06:00:00.000Z', 'America/New_York', window)).toBe(
      '2024-03-10T07:00:00.000Z',
    );
    // Europe/Berlin, 31 March 2024: 02:00 CET jumps to 03:00 CEST at 01:00Z.
    expect(next('2024-03-30T23:30:00.000Z', 'Europe/Berlin', window)).toBe(
      '2024-03-31T01:00:00.000Z',
    );
    // The evening before, too.
    expect(next('2024-03-10T03:30:00.000Z', 'America/New_York', window)).toBe(
      '2024-03-10T07:00:00.000Z',
    );
  });

  it('a window start in the repeated fall-back hour opens at its occurrence after the instant', () => {
    // 3 November 2024 in New York: 01:00–02:00 happens in EDT (05:00Z) and again in EST (06:00Z).
    const window = { start: '01:30', end: '21:00' };
    expect(next('2024-11-03T05:15:00.000Z', 'America/New_York', window)).toBe(
      '2024-11-03T05:30:00.000Z',
    );
    expect(next('2024-11-03T06:15:00.000Z', 'America/New_York', window)).toBe(
      '2024-11-03T06:30:00.000Z',
    );
  });

  it('a next day that the zone skipped entirely opens on the day after (Pacific/Apia, 2011)', () => {
    // Samoa went from 29 December 23:59:59 (UTC-10) to 31 December 00:00 (UTC+14).
    expect(next('2011-12-30T08:00:00.000Z', 'Pacific/Apia')).toBe('2011-12-30T18:00:00.000Z');
  });

  it('uses a tenant or rule window', () => {
    const window = { start: '09:30', end: '17:00' };
    // 09:00 CET.
    expect(next('2024-01-10T08:00:00.000Z', 'Europe/Berlin', window)).toBe(
      '2024-01-10T08:30:00.000Z',
    );
    // 17:00 CET is outside.
    expect(next('2024-01-10T16:00:00.000Z', 'Europe/Berlin', window)).toBe(
      '2024-01-11T08:30:00.000Z',
    );
    // An end of 24:00 allows until local midnight.
    expect(
      next('2024-01-10T22:59:59.000Z', 'Europe/Berlin', { start: '08:00', end: '24:00' }),
    ).toBe('2024-01-10T22:59:59.000Z');
  });

  it('refuses an unknown zone with CG_ERR_ENGAGEMENT_TIME_ZONE', () => {
    expect(() => nextAllowedInstant(new Date(), 'Mars/Olympus')).toThrow(
      expect.objectContaining({ code: PolicyErrorCode.TIME_ZONE }),
    );
  });
});

describe('parseSendingWindow', () => {
  it('reads HH:MM bounds as minutes after midnight', () => {
    expect(parseSendingWindow(DEFAULT_SENDING_WINDOW)).toEqual({ start: 480, end: 1260 });
  });

  it.each([
    [{ start: '22:00', end: '02:00' }, 'past midnight'],
    [{ start: '09:00', end: '09:00' }, 'empty'],
    [{ start: '8:00', end: '21:00' }, 'not HH:MM'],
    [{ start: '08:00', end: '25:00' }, 'no such hour'],
  ])('refuses %j (%s) with CG_ERR_ENGAGEMENT_QUIET_HOURS', (window) => {
    expect(() => parseSendingWindow(window)).toThrow(
      expect.objectContaining({ code: PolicyErrorCode.QUIET_HOURS }),
    );
  });
});

describe('isWithinSendingWindow', () => {
  it('is true inside and false outside the window', () => {
    expect(isWithinSendingWindow(new Date('2024-06-01T03:00:00Z'), 'Asia/Kolkata')).toBe(true);
    expect(isWithinSendingWindow(new Date('2024-06-01T02:00:00Z'), 'Asia/Kolkata')).toBe(false);
  });
});
