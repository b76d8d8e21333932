/** The Net Promoter summary of a set of scores. */
export interface NpsSummary {
  responses: number;
  /** Scores 9 and 10. */
  promoters: number;
  /** Scores 7 and 8. */
  passives: number;
  /** Scores 0 to 6. */
  detractors: number;
  /** Mean score, or none without responses. */
  averageScore?: number;
  /** % promoters minus % detractors, -100 to 100, rounded; none without responses. */
  nps?: number;
}

/** The NPS summary of 0–10 scores (the standard bands: 9–10, 7–8, 0–6). */
export function npsSummary(scores: readonly number[]): NpsSummary {
  const promoters = scores.filter((s) => s >= 9).length;
  const passives = scores.filter((s) => s >= 7 && s <= 8).length;
  const detractors = scores.length - promoters - passives;
  if (scores.length === 0) return { responses: 0, promoters, passives, detractors };
  const total = scores.reduce((sum, s) => sum + s, 0);
  return {
    responses: scores.length,
    promoters,
    passives,
    detractors,
    averageScore: Math.round((total / scores.length) * 10) / 10,
    nps: Math.round(((promoters - detractors) / scores.length) * 100),
  };
}
