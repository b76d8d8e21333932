/**
 * Latencies counted per whole millisecond: cheap to record in every load client, exact to
 * merge across clients (a map of ms to count travels over IPC as pairs).
 */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  total = 0;

  record(ms: number): void {
    const bucket = Math.max(0, Math.round(ms));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
  }

  /** The counts as `[ms, count]` pairs (for IPC). */
  toPairs(): [number, number][] {
    return [...this.counts];
  }

  /** Adds the counts of another histogram's pairs. */
  add(pairs: readonly [number, number][]): void {
    for (const [ms, count] of pairs) {
      this.counts.set(ms, (this.counts.get(ms) ?? 0) + count);
      this.total += count;
    }
  }

  /** The smallest latency at or below which `p` percent of the samples lie (NaN if none). */
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (const ms of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(ms)!;
      if (seen >= rank) return ms;
    }
    return NaN;
  }

  max(): number {
    return this.total === 0 ? NaN : Math.max(...this.counts.keys());
  }
}
