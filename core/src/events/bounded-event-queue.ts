import type { CareEventMessage } from '@caregraph/schema';

/** Delivered instead of events when a subscriber's queue overflowed: its backlog was dropped. */
export const QUEUE_OVERFLOW = Symbol('caregraph.queue-overflow');
/** Delivered when the bus was disconnected: events may have been missed since the last one. */
export const BUS_GAP = Symbol('caregraph.bus-gap');

/** What a bus subscription yields. */
export type BusDelivery = CareEventMessage | typeof QUEUE_OVERFLOW | typeof BUS_GAP;

/**
 * The events waiting for one subscriber, at most `limit`. Past the limit the backlog is
 * dropped, the consumer gets `QUEUE_OVERFLOW` once and the queue ends (the subscriber must
 * resync). Pushing never waits, so a slow consumer never slows the publisher.
 */
export class BoundedEventQueue implements AsyncIterable<BusDelivery> {
  private readonly items: BusDelivery[] = [];
  private overflowed = false;
  private ended = false;
  private wake?: () => void;

  constructor(
    private readonly limit: number,
    signal: AbortSignal,
    private readonly onOverflow: () => void = () => undefined,
  ) {
    signal.addEventListener('abort', () => this.end(), { once: true });
  }

  push(event: CareEventMessage): void {
    if (this.overflowed || this.ended) return;
    if (this.items.length >= this.limit) {
      this.items.length = 0;
      this.overflowed = true;
      this.onOverflow();
    } else this.items.push(event);
    this.notify();
  }

  /** Marks a possible gap (after the events already queued). */
  gap(): void {
    if (this.overflowed || this.ended) return;
    if (this.items.at(-1) !== BUS_GAP) this.items.push(BUS_GAP);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  /** Events waiting (for metrics and tests). */
  get size(): number {
    return this.items.length;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<BusDelivery> {
    while (!this.ended) {
      if (this.overflowed) {
        yield QUEUE_OVERFLOW;
        return;
      }
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
