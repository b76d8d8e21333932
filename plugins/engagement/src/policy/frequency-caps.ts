import { CommunicationChannel, ConsentPurpose } from '@caregraph/schema';
import type { MessageKind } from './message-kind.js';
import { PolicyError, PolicyErrorCode } from './policy-error.js';
import { assertTimeZone, localDateOf, startOfNextLocalDay } from './wall-time.js';

/**
 * At most `max` messages per `day` (the recipient's local calendar day, midnight to midnight in
 * their zone, 23 or 25 hours long on DST days) or per `week` (any rolling 7 × 24 hours of
 * elapsed time, so a DST change neither shortens nor stretches it).
 */
export interface FrequencyCap {
  max: number;
  per: 'day' | 'week';
}

/** Caps per channel; a channel without an entry (or with `[]`) is not capped. */
export type FrequencyCaps = Partial<Record<CommunicationChannel, readonly FrequencyCap[]>>;

/**
 * SMS and phone: 1 a day and 3 a week per recipient (issue 6; the limits of the FCC's 2015
 * healthcare exemption for calls and texts). Email: 2 a day and 5 a week. In-app and letters are
 * not capped. A tenant or rule replaces a channel's list: `{ ...DEFAULT_FREQUENCY_CAPS, ...tenant, ...rule }`.
 */
export const DEFAULT_FREQUENCY_CAPS: FrequencyCaps = Object.freeze({
  [CommunicationChannel.SMS]: [
    { max: 1, per: 'day' },
    { max: 3, per: 'week' },
  ],
  [CommunicationChannel.PHONE]: [
    { max: 1, per: 'day' },
    { max: 3, per: 'week' },
  ],
  [CommunicationChannel.EMAIL]: [
    { max: 2, per: 'day' },
    { max: 5, per: 'week' },
  ],
});

/** Purposes that caps never hold back: an emergency notice (a clinic closed today) goes out. */
export const CAP_EXEMPT_PURPOSES: ReadonlySet<ConsentPurpose> = new Set([ConsentPurpose.EMERGENCY]);

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Whether a message is outside the caps: a reply, or of an exempt purpose. Exempt sends do not count either. */
export function isCapExempt(purpose: ConsentPurpose, kind: MessageKind = 'outreach'): boolean {
  return kind === 'reply' || CAP_EXEMPT_PURPOSES.has(purpose);
}

/** What the caps are asked about one message. */
export interface CapQuery {
  channel: CommunicationChannel;
  purpose: ConsentPurpose;
  kind?: MessageKind;
  /** When it would be sent. */
  at: Date;
  /** The recipient's IANA zone (their local days). */
  timeZone: string;
  /**
   * When the recipient's earlier messages over this channel went out, exempt ones left out
   * (`isCapExempt`). Sends after `at` are ignored.
   */
  previousSends: readonly Date[];
  caps?: FrequencyCaps;
}

/** Stable reason codes of a cap decision. */
export type CapReason =
  'CAP_EXEMPT' | 'CHANNEL_NOT_CAPPED' | 'WITHIN_CAPS' | 'FREQUENCY_CAP_DAY' | 'FREQUENCY_CAP_WEEK';

/** Allowed at `at`, or not before `earliest` (the first instant every cap permits). */
export type CapDecision =
  | { allowed: true; reason: 'CAP_EXEMPT' | 'CHANNEL_NOT_CAPPED' | 'WITHIN_CAPS' }
  | { allowed: false; reason: 'FREQUENCY_CAP_DAY' | 'FREQUENCY_CAP_WEEK'; earliest: Date };

/** Throws `CG_ERR_ENGAGEMENT_FREQUENCY_CAP` for a cap that is not a positive whole number per day or week. */
export function assertFrequencyCaps(caps: FrequencyCaps): void {
  for (const [channel, list] of Object.entries(caps))
    for (const cap of list ?? [])
      if (!Number.isInteger(cap.max) || cap.max < 1 || (cap.per !== 'day' && cap.per !== 'week'))
        throw new PolicyError(
          PolicyErrorCode.FREQUENCY_CAP,
          `Frequency cap for ${channel} must be a whole number of at least 1 per "day" or "week", not ${JSON.stringify(cap)}.`,
        );
}

/** Whether one more message fits under every cap of the channel at `at`, else when it first does. */
export function checkFrequencyCaps(query: CapQuery): CapDecision {
  if (isCapExempt(query.purpose, query.kind)) return { allowed: true, reason: 'CAP_EXEMPT' };
  const caps = query.caps ?? DEFAULT_FREQUENCY_CAPS;
  assertFrequencyCaps(caps);
  const channelCaps = caps[query.channel] ?? [];
  if (channelCaps.length === 0) return { allowed: true, reason: 'CHANNEL_NOT_CAPPED' };
  assertTimeZone(query.timeZone);
  const sends = query.previousSends
    .map((sent) => sent.getTime())
    .filter((sent) => sent <= query.at.getTime())
    .sort((a, b) => a - b);
  const exceeded = channelCaps.find(
    (cap) => earliestUnder(cap, query.at, sends, query.timeZone) > query.at.getTime(),
  );
  if (!exceeded) return { allowed: true, reason: 'WITHIN_CAPS' };
  // Each cap only ever moves the instant later, and every send leaves every window in the end.
  let earliest = query.at.getTime();
  for (let moved = true; moved;) {
    moved = false;
    for (const cap of channelCaps) {
      const next = earliestUnder(cap, new Date(earliest), sends, query.timeZone);
      if (next > earliest) [earliest, moved] = [next, true];
    }
  }
  return {
    allowed: false,
    reason: exceeded.per === 'day' ? 'FREQUENCY_CAP_DAY' : 'FREQUENCY_CAP_WEEK',
    earliest: new Date(earliest),
  };
}

/** The first instant at or after `at` (ms) when one more send stays within `cap`. */
function earliestUnder(cap: FrequencyCap, at: Date, sends: readonly number[], timeZone: string) {
  const t = at.getTime();
  if (cap.per === 'week') {
    const inWindow = sends.filter((sent) => sent > t - WEEK_MS && sent <= t);
    // The oldest sends must leave the window until fewer than `max` remain.
    return inWindow.length < cap.max ? t : inWindow[inWindow.length - cap.max]! + WEEK_MS;
  }
  const today = localDateOf(at, timeZone);
  const sameDay = sends.filter((sent) => {
    if (sent > t) return false;
    const day = localDateOf(new Date(sent), timeZone);
    return day.year === today.year && day.month === today.month && day.day === today.day;
  });
  return sameDay.length < cap.max ? t : startOfNextLocalDay(at, timeZone).getTime();
}
