import type { Outcome } from './load.js';
import type { MessageCase } from './messages.js';
import type { RawSqlLane } from './raw-sql.js';

interface Waiting {
  c: MessageCase;
  text: string;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/**
 * The raw SQL ceiling with group commit: the senders' messages wait in one queue, and each of a
 * few connections takes everything waiting (up to `maxGroup`) into one transaction
 * (`RawSqlLane.ingestGroup`), answering every message of the group once it commits. What the
 * same statements could reach if the hub committed the messages that arrive together as one
 * transaction instead of one each.
 */
export class GroupCommitter {
  private readonly queue: Waiting[] = [];
  private readonly idle: RawSqlLane[];

  constructor(
    lanes: readonly RawSqlLane[],
    private readonly maxGroup: number,
  ) {
    this.idle = [...lanes];
  }

  ingest(c: MessageCase, text: string): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ c, text, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length && this.idle.length) {
      const lane = this.idle.pop()!;
      const group = this.queue.splice(0, this.maxGroup);
      lane
        .ingestGroup(group)
        .then(
          () => group.forEach((w) => w.resolve({ ok: true })),
          (error: unknown) => group.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.idle.push(lane);
          this.pump();
        });
    }
  }
}
