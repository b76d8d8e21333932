import type { PluginContext } from './context.js';

/** Options of one scheduled run of a job. */
export interface ScheduleOptions {
  /** Run no earlier than this (default: now). */
  startAfter?: Date;
  /**
   * A job of the same key that is still waiting to run is not queued a second time: it is updated
   * in place (this call's data and `startAfter`) and its id returned.
   */
  singletonKey?: string;
}

/**
 * A durable job: queued in the database, survives restarts, retried with exponential backoff when
 * `run` throws, never stopping the hub. The data must be JSON and should hold ids, not PHI.
 */
export interface JobDefinition<Data = unknown> {
  /** Unique within the plugin; the queue is `plugin.<pluginId>.<name>`. */
  name: string;
  /** Attempts after the first failure (default 5). */
  retryLimit?: number;
  /** Seconds before the first retry; doubles with each retry (default 10). */
  retryDelaySeconds?: number;
  /**
   * Does the work. For tenant data, open `ctx.inTenant` with the tenant the job was scheduled
   * for (`job.tenantId`); a throw schedules a retry.
   */
  run(data: Data, job: JobRun, ctx: PluginContext): Promise<void>;
}

/** What a running job knows about itself. */
export interface JobRun {
  id: string;
  /** 0 on the first attempt. */
  retryCount: number;
  /** The tenant the job was scheduled for. */
  tenantId?: string;
}

/** Schedules the plugin's declared jobs. */
export interface JobScheduler {
  /** Queues a run of job `name` (declared in `jobs`); resolves with the job id. */
  schedule(
    name: string,
    data: unknown,
    options?: ScheduleOptions & { tenantId?: string },
  ): Promise<string>;
}
