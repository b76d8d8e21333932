import { fromPglite, PgBoss, type PGliteLike } from 'pg-boss';
import type { MikroORM } from '@mikro-orm/sql';
import type { DatabaseTarget } from '../db/create-orm.js';
import type { Logger } from '../logging/logger.js';

/** How a queue retries a failed job: `delaySeconds * 2^retry` (pg-boss backoff). */
export interface QueueOptions {
  retryLimit: number;
  retryDelaySeconds: number;
}

/** One job as a worker receives it. */
export interface QueuedJob<T = unknown> {
  id: string;
  data: T;
  retryCount: number;
}

/** Options of one send. */
export interface SendOptions {
  startAfter?: Date;
  singletonKey?: string;
}

/**
 * Durable jobs on the hub's database with pg-boss: on PostgreSQL through its own pool in a
 * `pgboss` schema, on embedded PGlite through the ORM's PGlite instance (pg-boss's `fromPglite`
 * adapter; PGlite serialises its statements with the ORM's transactions). Jobs survive restarts
 * and are retried with exponential backoff; a throwing handler only fails that job.
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly logger: Logger,
  ) {}

  /** Starts pg-boss (installing or migrating its schema). */
  static async open(orm: MikroORM, target: DatabaseTarget, logger: Logger): Promise<JobQueue> {
    let boss: PgBoss;
    if (target.kind === 'postgres') {
      boss = new PgBoss({
        connectionString: target.url,
        schema: target.schema ? `${target.schema}_pgboss` : 'pgboss',
        max: 4,
      });
    } else {
      const connection = orm.em.getConnection() as unknown as {
        getNativeClient(): Promise<PGliteLike>;
      };
      boss = new PgBoss({ db: fromPglite(await connection.getNativeClient()), backend: 'pglite' });
    }
    boss.on('error', (error: Error) =>
      logger.error({ err: { message: error.message } }, 'job queue error'),
    );
    await boss.start();
    return new JobQueue(boss, logger);
  }

  /** Creates the queue if it does not exist, so that jobs can be sent to it before it is worked. */
  async createQueue(name: string, options: QueueOptions): Promise<void> {
    await this.boss.createQueue(name, {
      retryLimit: options.retryLimit,
      retryDelay: options.retryDelaySeconds,
      retryBackoff: true,
    });
  }

  /** Creates the queue if needed and works it; `handler` runs once per job. */
  async work<T>(
    name: string,
    options: QueueOptions,
    handler: (job: QueuedJob<T>) => Promise<void>,
  ): Promise<void> {
    await this.createQueue(name, options);
    await this.boss.work<T>(name, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs)
        await handler({ id: job.id, data: job.data, retryCount: job.retryCount });
    });
  }

  /**
   * Queues a job; resolves with its id. With a singleton key, a job of that key still waiting
   * (created or retry) is updated in place (data and start time) instead of a second one being
   * queued: pg-boss's `upsert`. (`send` with a key de-duplicates nothing on a standard queue
   * unless a throttle window is given.)
   */
  async send(name: string, data: object, options: SendOptions = {}): Promise<string> {
    if (options.singletonKey) {
      const { jobs } = await this.boss.upsert(name, data, {
        singletonKey: options.singletonKey,
        startAfter: options.startAfter,
      });
      return jobs[0] ?? '';
    }
    const id = await this.boss.send(name, data, { startAfter: options.startAfter });
    return id ?? '';
  }

  /** The state of a job (`created`, `retry`, `active`, `completed`, `failed`…), for tests and admin. */
  async state(name: string, id: string): Promise<string | undefined> {
    return (await this.boss.getJobById(name, id))?.state;
  }

  /** Stops the workers, letting running jobs finish. */
  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}
