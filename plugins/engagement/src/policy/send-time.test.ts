import { CommunicationChannel, ConsentPurpose } from '@caregraph/schema';
import { earliestSendTime, type SendTimeQuery } from './send-time.js';

const query = (at: string, previous: string[] = [], extra: Partial<SendTimeQuery> = {}) => ({
  channel: CommunicationChannel.SMS,
  purpose: ConsentPurpose.CARE_REMINDERS,
  at: new Date(at),
  timeZone: 'America/New_York',
  previousSends: previous.map((iso) => new Date(iso)),
  ...extra,
});

describe('earliestSendTime', () => {
  it('is the instant itself inside the window and under the caps', () => {
    expect(earliestSendTime(query('2024-03-05T15:00:00Z'))).toEqual({
      at: new Date('2024-03-05T15:00:00Z'),
      deferredBy: [],
    });
  });

  it('moves a 22:30 reminder to 08:00 the next day', () => {
    expect(earliestSendTime(query('2024-03-06T03:30:00Z'))).toEqual({
      at: new Date('2024-03-06T13:00:00Z'),
      deferredBy: ['QUIET_HOURS'],
    });
  });

  it('moves a capped message from the next local midnight to the window opening', () => {
    // A text went out at 09:00 EST; the next may go at 08:00 EST tomorrow, not at midnight.
    expect(earliestSendTime(query('2024-03-05T20:00:00Z', ['2024-03-05T14:00:00Z']))).toEqual({
      at: new Date('2024-03-06T13:00:00Z'),
      deferredBy: ['FREQUENCY_CAP_DAY', 'QUIET_HOURS'],
    });
  });

  it('lets a week cap that frees up at night wait for the morning', () => {
    // Three texts at 21:30 EDT (sent under a wider window the tenant has since narrowed): the
    // oldest leaves the week at 21:30 on 8 July, after the window closed; 08:00 on the 9th.
    const previous = ['2024-07-02T01:30:00Z', '2024-07-04T01:30:00Z', '2024-07-06T01:30:00Z'];
    expect(earliestSendTime(query('2024-07-06T14:00:00Z', previous))).toEqual({
      at: new Date('2024-07-09T12:00:00Z'),
      deferredBy: ['FREQUENCY_CAP_WEEK', 'QUIET_HOURS'],
    });
  });

  it('sends replies at once, at night and over the caps', () => {
    expect(
      earliestSendTime(query('2024-03-06T04:00:00Z', ['2024-03-06T03:00:00Z'], { kind: 'reply' })),
    ).toEqual({ at: new Date('2024-03-06T04:00:00Z'), deferredBy: [] });
  });
});
