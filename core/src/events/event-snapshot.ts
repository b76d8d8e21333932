import { RecentCache } from './recent-cache.js';

/** How long one event's snapshot serves the instance's receivers of that event. */
const SNAPSHOT_TTL_MS = 1_000;
/** Snapshots kept at most (the oldest go first). */
const MAX_SNAPSHOTS = 5_000;

type Row = Record<string, unknown>;

/** Makes a loaded value read-only all the way down, so no receiver can change another's input. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The receiver-independent reads of one event in this instance (the patient row, the subject row,
 * the patient's privacy consents), made at most once for all of the event's receivers: each
 * receiver used to load them with its own EntityManager, one statement each per delivery. A
 * snapshot is created by the event's first receiver, so after the event was committed; it holds
 * raw rows and query results, deep-frozen: every receiver still hydrates its own entity
 * instances and takes its own access decisions (only the loading is shared). What depends on
 * the receiver (relationships, break-glass sessions, proxy consents) is never read through it.
 */
export class EventSnapshot {
  private readonly reads = new Map<string, Promise<unknown>>();

  /** `at`: the instant the snapshot's time-dependent reads (consent periods) are taken at. */
  constructor(readonly at: Date) {}

  /** The result of `load`, read at most once per `key` for this event (a failure is not kept). */
  shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    let read = this.reads.get(key) as Promise<T> | undefined;
    if (!read) {
      read = load().then(deepFreeze);
      this.keep(key, read);
    }
    return read;
  }

  /**
   * The rows of `table` with these ids (absent where none exist), each read at most once for
   * this event; ids not read yet are loaded together by `load`.
   */
  async rowsById(
    table: string,
    ids: readonly string[],
    load: (ids: readonly string[]) => Promise<Row[]>,
  ): Promise<Row[]> {
    const key = (id: string) => `row:${table}:${id}`;
    const missing = ids.filter((id) => !this.reads.has(key(id)));
    if (missing.length > 0) {
      const batch = load(missing).then(deepFreeze);
      for (const id of missing)
        this.keep(
          key(id),
          batch.then((rows) => rows.find((row) => row.id === id)),
        );
    }
    const rows = await Promise.all(ids.map((id) => this.reads.get(key(id)) as Promise<Row>));
    return rows.filter((row) => row !== undefined);
  }

  private keep(key: string, read: Promise<unknown>): void {
    this.reads.set(key, read);
    read.catch(() => {
      if (this.reads.get(key) === read) this.reads.delete(key);
    });
  }
}

/**
 * The snapshots of recent events in this instance, keyed by tenant and event id: never shared
 * between two events. A snapshot serves for at most `SNAPSHOT_TTL_MS` after its first receiver
 * created it (the event's routed receivers are woken together); a receiver that reaches the
 * event later (a slow queue, a replay) gets a fresh one.
 */
export class EventSnapshots {
  private readonly snapshots = new RecentCache<EventSnapshot>(SNAPSHOT_TTL_MS, MAX_SNAPSHOTS);

  /**
   * The snapshot of an event for the receivers of a tenant (the receiver's tenant, so rows read
   * for one tenant never serve another), created now if it has none in force.
   */
  of(tenantId: string, eventId: string): EventSnapshot {
    return this.snapshots.obtain(`${tenantId}:${eventId}`, (now) => new EventSnapshot(now));
  }
}
