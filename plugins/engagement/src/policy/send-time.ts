import { checkFrequencyCaps, type CapQuery } from './frequency-caps.js';
import { nextAllowedInstant, type SendingWindow } from './quiet-hours.js';

/** What the send-time check needs: the cap query plus the recipient's sending window. */
export interface SendTimeQuery extends CapQuery {
  /** The tenant's or rule's window; default 08:00–21:00. */
  window?: SendingWindow;
}

/** When a message may go out, and the stable codes of what deferred it (none: `at` itself). */
export interface SendTime {
  at: Date;
  deferredBy: ('QUIET_HOURS' | 'FREQUENCY_CAP_DAY' | 'FREQUENCY_CAP_WEEK')[];
}

/**
 * The first instant at or after `query.at` that is inside the recipient's sending window and under
 * every frequency cap. Replies (`kind: 'reply'`) go out at once: the recipient just wrote.
 */
export function earliestSendTime(query: SendTimeQuery): SendTime {
  if (query.kind === 'reply') return { at: query.at, deferredBy: [] };
  const deferredBy = new Set<SendTime['deferredBy'][number]>();
  let at = query.at;
  // Both only move the instant later; caps free up after a week at most and the window opens
  // every day, so this settles within a few rounds.
  for (;;) {
    const caps = checkFrequencyCaps({ ...query, at });
    if (!caps.allowed) {
      deferredBy.add(caps.reason);
      at = caps.earliest;
    }
    const opens = nextAllowedInstant(at, query.timeZone, query.window);
    if (opens.getTime() === at.getTime() && caps.allowed)
      return { at, deferredBy: [...deferredBy] };
    if (opens.getTime() !== at.getTime()) deferredBy.add('QUIET_HOURS');
    at = opens;
  }
}
