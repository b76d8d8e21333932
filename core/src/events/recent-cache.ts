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
  private get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.at < this.ttlMs ? entry.value : undefined;
  }

  /** Stores `value` as of `now` (as the newest entry) and drops expired and surplus ones. */
  private set(key: string, value: V, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && now - entry.at < this.ttlMs) return;
      this.entries.delete(oldest);
    }
  }

  /**
   * The value in force for `key`, or a new one from `create` (stored as of now). A created
   * promise that rejects is forgotten, so the next caller asks again instead of getting the
   * failure for the rest of `ttlMs`.
   */
  obtain(key: string, create: (now: Date) => V): V {
    const now = Date.now();
    const cached = this.get(key, now);
    if (cached !== undefined) return cached;
    const value = create(new Date(now));
    this.set(key, value, now);
    if (value instanceof Promise)
      value.catch(() => {
        if (this.entries.get(key)?.value === value) this.entries.delete(key);
      });
    return value;
  }
}
