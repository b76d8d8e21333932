/**
 * What an inbound SMS asks for:
 * - `opt-out`: stop all texts from this number (CTIA keywords and the FCC's 2024 revocation words);
 * - `opt-in`: texts again after an opt-out;
 * - `help`: the program's HELP answer;
 * - `confirm` / `reschedule`: the answers to a confirmation request (C, R);
 * - `other`: anything else, for a person to read.
 */
export type ReplyIntent = 'opt-out' | 'opt-in' | 'help' | 'confirm' | 'reschedule' | 'other';

/** The intent and the keyword that matched it, upper-case (none for `other`: never the body). */
export interface ReplyClassification {
  intent: ReplyIntent;
  keyword?: string;
}

/**
 * Whole-message keywords. CANCEL is an opt-out word under carrier rules (and providers such as
 * Twilio act on it themselves), so it never means "cancel my appointment": confirmation requests
 * offer C and R only, and a patient who wants to cancel calls or uses R.
 */
const KEYWORDS: ReadonlyMap<string, Exclude<ReplyIntent, 'other'>> = new Map([
  ...(
    [
      'STOP',
      'STOPALL',
      'STOP ALL',
      'UNSUBSCRIBE',
      'CANCEL',
      'END',
      'QUIT',
      'REVOKE',
      'OPTOUT',
      'OPT OUT',
    ] as const
  ).map((k) => [k, 'opt-out'] as const),
  ...(['START', 'UNSTOP', 'YES'] as const).map((k) => [k, 'opt-in'] as const),
  ...(['HELP', 'INFO'] as const).map((k) => [k, 'help'] as const),
  ...(['C', 'CONFIRM'] as const).map((k) => [k, 'confirm'] as const),
  ...(['R', 'RESCHEDULE'] as const).map((k) => [k, 'reschedule'] as const),
]);

/**
 * Opt-out words that also count as the first or last word of a longer message ("Stop texting
 * me", "please STOP"): a request to stop in other words still has to be honoured, and these words
 * are unambiguous. END, QUIT and CANCEL count only alone ("End of the week works for me").
 */
const OPT_OUT_WORDS: ReadonlySet<string> = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE']);

/**
 * The message in the form keywords are matched on: compatibility-folded (full-width letters),
 * upper-case, without leading or trailing punctuation, symbols or emoji, runs of spaces, hyphens
 * and underscores as one space ("Opt-Out!" is `OPT OUT`).
 */
export function normalizeReply(body: string): string {
  return body
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s_-]+/gu, ' ')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** Classifies an inbound SMS body (case, spacing and surrounding punctuation do not matter). */
export function classifyReply(body: string): ReplyClassification {
  const text = normalizeReply(body);
  const intent = KEYWORDS.get(text);
  if (intent) return { intent, keyword: text.replaceAll(' ', '') };
  const words = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const edgeWord = [words[0], words[words.length - 1]].find(
    (word) => word !== undefined && OPT_OUT_WORDS.has(word),
  );
  if (edgeWord) return { intent: 'opt-out', keyword: edgeWord };
  return { intent: 'other' };
}
