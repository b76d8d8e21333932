import { CommunicationChannel, ConsentPurpose } from '@caregraph/schema';
import {
  DEFAULT_FREQUENCY_CAPS,
  checkFrequencyCaps,
  isCapExempt,
  type CapQuery,
} from './frequency-caps.js';
import { PolicyErrorCode } from './policy-error.js';

const sms = (at: string, previous: string[], extra: Partial<CapQuery> = {}) =>
  checkFrequencyCaps({
    channel: CommunicationChannel.SMS,
    purpose: ConsentPurpose.CARE_REMINDERS,
    at: new Date(at),
    timeZone: 'America/New_York',
    previousSends: previous.map((iso) => new Date(iso)),
    ...extra,
  });

describe('checkFrequencyCaps: SMS defaults (1 a local day, 3 a rolling week)', () => {
  it('allows the first message', () => {
    expect(sms('2024-03-05T20:00:00Z', [])).toEqual({ allowed: true, reason: 'WITHIN_CAPS' });
  });

  it('defers a second message the same local day to the next local midnight', () => {
    // 09:00 and 15:00 EST on 5 March; midnight EST is 05:00Z.
    expect(sms('2024-03-05T20:00:00Z', ['2024-03-05T14:00:00Z'])).toEqual({
      allowed: false,
      reason: 'FREQUENCY_CAP_DAY',
      earliest: new Date('2024-03-06T05:00:00Z'),
    });
  });

  it('counts local calendar days, not 24 hours and not UTC days', () => {
    // 23:30 EST on 4 March, then 09:00 EST on 5 March: same UTC day, different local days.
    expect(sms('2024-03-05T14:00:00Z', ['2024-03-05T04:30:00Z']).allowed).toBe(true);
    // Kolkata: 00:30 and 08:30 IST on 2 June fall on different UTC days but one local day.
    expect(
      sms('2024-06-02T03:00:00Z', ['2024-06-01T19:00:00Z'], { timeZone: 'Asia/Kolkata' }),
    ).toEqual({
      allowed: false,
      reason: 'FREQUENCY_CAP_DAY',
      earliest: new Date('2024-06-02T18:30:00Z'),
    });
  });

  it('defers a fourth message in 7 days until the oldest of the three leaves the window', () => {
    // Monday, Wednesday, Friday 10:00 EST; asked on Sunday.
    const previous = ['2024-01-08T15:00:00Z', '2024-01-10T15:00:00Z', '2024-01-12T15:00:00Z'];
    expect(sms('2024-01-14T15:00:00Z', previous)).toEqual({
      allowed: false,
      reason: 'FREQUENCY_CAP_WEEK',
      earliest: new Date('2024-01-15T15:00:00Z'),
    });
    expect(sms('2024-01-15T15:00:00Z', previous).allowed).toBe(true);
  });

  it('measures the week in elapsed hours across a DST change', () => {
    // 10:00 EST on 4, 6 and 8 March; clocks go forward on the 10th: 168 hours after the first
    // send is 11:00 EDT on the 11th.
    const previous = ['2024-03-04T15:00:00Z', '2024-03-06T15:00:00Z', '2024-03-08T15:00:00Z'];
    expect(sms('2024-03-10T16:00:00Z', previous)).toMatchObject({
      allowed: false,
      earliest: new Date('2024-03-11T15:00:00Z'),
    });
  });

  it('names the first cap exceeded and defers until every cap allows', () => {
    // Third of the week already sent this morning: the day cap would allow at midnight, the week
    // cap only at 10:00 EST on Monday.
    const previous = ['2024-01-08T15:00:00Z', '2024-01-10T15:00:00Z', '2024-01-14T14:00:00Z'];
    expect(sms('2024-01-14T20:00:00Z', previous)).toEqual({
      allowed: false,
      reason: 'FREQUENCY_CAP_DAY',
      earliest: new Date('2024-01-15T15:00:00Z'),
    });
  });

  it('ignores sends after the instant asked about', () => {
    expect(sms('2024-03-05T14:00:00Z', ['2024-03-05T15:00:00Z']).allowed).toBe(true);
  });
});

describe('checkFrequencyCaps: exemptions, other channels and settings', () => {
  it('does not hold back replies or emergency notices', () => {
    const previous = ['2024-03-05T14:00:00Z'];
    expect(sms('2024-03-05T20:00:00Z', previous, { kind: 'reply' })).toEqual({
      allowed: true,
      reason: 'CAP_EXEMPT',
    });
    expect(sms('2024-03-05T20:00:00Z', previous, { purpose: ConsentPurpose.EMERGENCY })).toEqual({
      allowed: true,
      reason: 'CAP_EXEMPT',
    });
    expect(isCapExempt(ConsentPurpose.CARE_REMINDERS)).toBe(false);
    expect(isCapExempt(ConsentPurpose.MARKETING, 'reply')).toBe(true);
  });

  it('does not cap in-app messages by default', () => {
    expect(
      sms('2024-03-05T20:00:00Z', ['2024-03-05T14:00:00Z'], {
        channel: CommunicationChannel.IN_APP,
      }),
    ).toEqual({ allowed: true, reason: 'CHANNEL_NOT_CAPPED' });
  });

  it('allows two emails a local day by default and takes a tenant override per channel', () => {
    const email = { channel: CommunicationChannel.EMAIL };
    expect(sms('2024-03-05T20:00:00Z', ['2024-03-05T14:00:00Z'], email).allowed).toBe(true);
    const caps = { ...DEFAULT_FREQUENCY_CAPS, email: [{ max: 1, per: 'day' as const }] };
    expect(sms('2024-03-05T20:00:00Z', ['2024-03-05T14:00:00Z'], { ...email, caps })).toEqual({
      allowed: false,
      reason: 'FREQUENCY_CAP_DAY',
      earliest: new Date('2024-03-06T05:00:00Z'),
    });
    // An empty list lifts the caps of a channel.
    expect(
      sms('2024-03-05T20:00:00Z', ['2024-03-05T14:00:00Z'], { caps: { sms: [] } }).reason,
    ).toBe('CHANNEL_NOT_CAPPED');
  });

  it('refuses a malformed cap with CG_ERR_ENGAGEMENT_FREQUENCY_CAP', () => {
    expect(() =>
      sms('2024-03-05T20:00:00Z', [], { caps: { sms: [{ max: 0, per: 'day' }] } }),
    ).toThrow(expect.objectContaining({ code: PolicyErrorCode.FREQUENCY_CAP }));
    expect(() =>
      sms('2024-03-05T20:00:00Z', [], {
        caps: { sms: [{ max: 1, per: 'month' as 'day' }] },
      }),
    ).toThrow(expect.objectContaining({ code: PolicyErrorCode.FREQUENCY_CAP }));
  });
});
