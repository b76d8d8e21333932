/** What the relay and the buses count (the hub's Prometheus metrics implement it). */
export interface EventMetrics {
  /** The relay published `count` outbox rows (their batch committed). */
  published(count: number): void;
  /** A batch could not be handed to the bus (it is retried). */
  publishFailed(): void;
  /** A subscriber's queue overflowed: its backlog was dropped (it resyncs). */
  overflowed(): void;
  /** An event woke `woken` subscriptions of its tenant and spared `skipped` (audience routing). */
  routed(woken: number, skipped: number): void;
}

/** Counts nothing (buses and relays built outside a hub, e.g. in tests). */
export const NO_EVENT_METRICS: EventMetrics = {
  published: () => undefined,
  publishFailed: () => undefined,
  overflowed: () => undefined,
  routed: () => undefined,
};
