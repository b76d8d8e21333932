import { RecentCache } from './recent-cache.js';

describe('RecentCache.obtain', () => {
  it('creates a value once per key while it is in force, and again after it expired', async () => {
    const cache = new RecentCache<number>(30, 10);
    let created = 0;
    const create = () => ++created;
    expect(cache.obtain('a', create)).toBe(1);
    expect(cache.obtain('a', create)).toBe(1);
    expect(cache.obtain('b', create)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(cache.obtain('a', create)).toBe(3);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new RecentCache<string>(60_000, 2);
    for (const key of ['a', 'b', 'c']) cache.obtain(key, () => `${key}1`);
    expect(cache.obtain('c', () => 'c2')).toBe('c1');
    expect(cache.obtain('a', () => 'a2')).toBe('a2');
  });

  it('forgets a promise that rejected, so the next caller asks again', async () => {
    const cache = new RecentCache<Promise<string>>(60_000, 10);
    const failed = cache.obtain('a', () => Promise.reject(new Error('database down')));
    await expect(failed).rejects.toThrow('database down');
    await expect(cache.obtain('a', () => Promise.resolve('read'))).resolves.toBe('read');
  });
});
