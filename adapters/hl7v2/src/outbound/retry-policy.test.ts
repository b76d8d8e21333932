import { MAX_RETRY_MS, retryDelayMs } from './retry-policy.js';

describe('retryDelayMs', () => {
  it('waits 1 s after the first failed attempt and doubles, up to 5 minutes', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(9)).toBe(256_000);
    expect(retryDelayMs(10)).toBe(MAX_RETRY_MS);
    expect(retryDelayMs(1_000)).toBe(MAX_RETRY_MS);
  });
});
