import { createServer } from 'node:net';

/**
 * The closed-loop load of hl7-ingest: `lanes` senders, each with one message in flight (as an
 * MLLP sender waits for its ACK before the next message), taking messages from one shared
 * stream for a warm-up and then a measured window. Only messages that complete inside the
 * window count towards the rate and the latencies; every message's outcome is checked.
 */

/** A free TCP port on loopback (the listener binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** What one unit of work answered: `AA`, another ACK code, or an error's text. */
export type Outcome = { ok: true } | { ok: false; reason: string };

/** Options of `driveLanes`. */
export interface DriveOptions<T> {
  lanes: number;
  warmupSeconds: number;
  seconds: number;
  /** The next item of the shared stream. */
  next(): T;
  /** Processes one item on a lane (lanes never overlap their own items). */
  work(lane: number, item: T): Promise<Outcome>;
}

/** The result of a drive. */
export interface DriveResult {
  /** Items that completed successfully within the measured window. */
  completed: number;
  /** Length of the measured window, seconds. */
  seconds: number;
  /** Latency of each completed item of the window, ms, sorted. */
  latencies: number[];
  /** Items issued over the whole drive (warm-up and drain included). */
  issued: number;
  /** Items that did not succeed (any phase), by reason. */
  failures: Map<string, number>;
}

/** The `p`th percentile (0–100) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Runs the lanes for the warm-up and the measured window, then lets in-flight items finish. */
export async function driveLanes<T>(options: DriveOptions<T>): Promise<DriveResult> {
  const started = performance.now();
  const windowStart = started + options.warmupSeconds * 1000;
  const windowEnd = windowStart + options.seconds * 1000;
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let completed = 0;
  let issued = 0;
  const fail = (reason: string) => failures.set(reason, (failures.get(reason) ?? 0) + 1);
  const lane = async (index: number) => {
    while (performance.now() < windowEnd) {
      const item = options.next();
      issued++;
      const sent = performance.now();
      let outcome: Outcome;
      try {
        outcome = await options.work(index, item);
      } catch (error) {
        outcome = { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
      const done = performance.now();
      if (!outcome.ok) fail(outcome.reason);
      else if (sent >= windowStart && done <= windowEnd) {
        completed++;
        latencies.push(done - sent);
      }
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, (_, i) => lane(i)));
  latencies.sort((a, b) => a - b);
  return { completed, seconds: options.seconds, latencies, issued, failures };
}
