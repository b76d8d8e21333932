import { parseOffset } from './rule-offset.js';

const HOUR = 3_600_000;

describe('parseOffset', () => {
  it.each([
    ['P7D', 7 * 24 * HOUR],
    ['PT24H', 24 * HOUR],
    ['PT2H', 2 * HOUR],
    ['PT90M', 1.5 * HOUR],
    ['P1DT12H', 36 * HOUR],
    ['P1DT1H30M', 25.5 * HOUR],
  ])('reads %s', (text, ms) => {
    expect(parseOffset(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', '7d', 'P1M', 'P1Y', 'PT0M', 'P0D', '-P1D', 'P1.5D', 'PT2S'])(
    'refuses %j',
    (text) => {
      expect(parseOffset(text)).toBeUndefined();
    },
  );
});
