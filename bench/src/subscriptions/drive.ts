import { setTimeout as sleep } from 'node:timers/promises';

/** How one drive went. */
export interface DriveResult {
  /**
   * Events emitted: indices `start .. start + emitted - 1` of the event list (fewer than
   * `rate × seconds` when the target could not keep up: the drive stops at its deadline).
   */
  emitted: number;
  failed: number;
  seconds: number;
  /** How far behind its schedule an event was emitted at worst, in ms (0: the rate was held). */
  lagMs: number;
}

/** Options of `driveAtRate`. */
export interface DriveOptions {
  rate: number;
  seconds: number;
  /** Emitters working at once (an emit that waits for a commit must not hold back the next). */
  lanes: number;
}

/** Emits event number `i` (of the whole run); resolves when it is committed or pushed. */
export type Emit = (i: number) => Promise<void>;

/**
 * Emits `rate × seconds` events on a fixed schedule (event n at start + n / rate), numbered
 * from `start`. Each of `lanes` workers takes the next number when it is free and waits for
 * its time, so a slow emit delays only its own lane; `openLane` gives each lane its emitter
 * (CareGraph: a plugin tenant scope of its own). No event is started after `seconds`: a target
 * that cannot keep up shows as a lower rate, not as a longer run.
 */
export async function driveAtRate(
  options: DriveOptions,
  start: number,
  openLane: (work: (emit: Emit) => Promise<void>) => Promise<void>,
): Promise<DriveResult> {
  const total = Math.round(options.rate * options.seconds);
  const began = performance.now();
  let next = 0;
  let failed = 0;
  let lagMs = 0;
  let emitted = 0;
  const deadline = began + options.seconds * 1000;
  const lane = (emit: Emit) =>
    (async () => {
      for (;;) {
        if (next >= total || performance.now() >= deadline) return;
        const n = next++;
        const due = began + (n * 1000) / options.rate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        else lagMs = Math.max(lagMs, -wait);
        try {
          emitted++;
          await emit(start + n);
        } catch {
          failed++;
        }
      }
    })();
  await Promise.all(Array.from({ length: options.lanes }, () => openLane(lane)));
  return {
    emitted,
    failed,
    seconds: (performance.now() - began) / 1000,
    lagMs: Math.round(lagMs),
  };
}
