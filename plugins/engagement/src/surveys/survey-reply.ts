/** A survey answer read from an SMS: the score, and what the patient wrote after it. */
export interface SurveyAnswer {
  score: number;
  comment?: string;
}

/** Longest comment kept (an SMS of several segments fits; longer text is cut, not refused). */
export const MAX_SURVEY_COMMENT = 1_000;

/**
 * A score at the start of the message: 0 to 10, optionally written as `9/10` or `9 out of 10`,
 * then the end or a separator (`9 great`, `9, great`, `9. great`, `9!`). `9am`, `9.5` and `95`
 * are not scores.
 */
const ANSWER = /^(\d{1,2})(?:\s*(?:\/|out of|de)\s*10)?(?![\p{L}\p{N}]|[.,]\d)(.*)$/isu;

/**
 * Reads an SMS body as the answer to the post-visit survey ("9", "9 great visit", "10/10
 * thanks!"): the score 0–10 and an optional comment (the rest of the message without the
 * separators around it, at most `MAX_SURVEY_COMMENT` characters). Anything else, a score out of
 * range included, is not an answer (`undefined`): the reply is kept for a person to read.
 * Keywords (STOP, START, C, R) are matched before this, so they keep their meaning.
 */
export function parseSurveyReply(body: string): SurveyAnswer | undefined {
  const text = body.normalize('NFKC').trim();
  const match = ANSWER.exec(text);
  if (!match) return undefined;
  const score = Number(match[1]);
  if (score > 10) return undefined;
  const comment = match[2]!
    .replace(/^[\s\p{P}\p{S}]+/u, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .slice(0, MAX_SURVEY_COMMENT)
    .trim();
  return comment ? { score, comment } : { score };
}
