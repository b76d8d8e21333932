import { npsSummary } from './nps-summary.js';

describe('npsSummary', () => {
  it('has counts only without responses', () => {
    expect(npsSummary([])).toEqual({ responses: 0, promoters: 0, passives: 0, detractors: 0 });
  });

  it('bands 9–10 as promoters, 7–8 as passives, 0–6 as detractors', () => {
    expect(npsSummary([10, 9, 8, 7, 6, 0])).toEqual({
      responses: 6,
      promoters: 2,
      passives: 2,
      detractors: 2,
      averageScore: 6.7,
      nps: 0,
    });
  });

  it('is 100 with promoters only and -100 with detractors only', () => {
    expect(npsSummary([9, 10]).nps).toBe(100);
    expect(npsSummary([3]).nps).toBe(-100);
  });

  it('rounds the score to a whole point', () => {
    // 2 promoters, 1 detractor of 3: 33.3…
    expect(npsSummary([9, 9, 2]).nps).toBe(33);
  });
});
