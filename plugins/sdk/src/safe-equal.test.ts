import { safeEqual } from './safe-equal.js';

describe('safeEqual', () => {
  it('is true only for the same value, as text or bytes', () => {
    expect(safeEqual('sha256=abc', 'sha256=abc')).toBe(true);
    expect(safeEqual(Buffer.from('token'), 'token')).toBe(true);
    expect(safeEqual('sha256=abd', 'sha256=abc')).toBe(false);
  });

  it('refuses values of another length without throwing', () => {
    expect(safeEqual('short', 'a much longer expected secret')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});
