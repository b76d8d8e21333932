/**
 * Values kept per key for a short time (`ttlMs`) and up to `maxEntries` (the oldest go first):
 * the per-event caches of an instance (an event's audience lookup, its snapshot).
 */
export class RecentCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The value stored under `key` less than `ttlMs` before `now`. */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.at < this.ttlMs ? entry.value : undefined;
  }

  /** Stores `value` as of `now` (as the newest entry) and drops expired and surplus ones. */
  set(key: string, value: V, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && now - entry.at < this.ttlMs) return;
      this.entries.delete(oldest);
    }
  }

  /** Forgets `key` if it still holds `value` (a failed lookup, so the next caller asks again). */
  forget(key: string, value: V): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }
}
