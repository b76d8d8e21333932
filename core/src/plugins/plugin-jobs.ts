import type { JobScheduler } from '@caregraph/plugin-sdk';
import type { JobQueue } from '../jobs/job-queue.js';
import { PluginError } from './plugin-error.js';
import type { PluginHost } from './plugin-host.js';
import type { ValidatedPlugin } from './validate-plugins.js';

/** The pg-boss queue of a plugin's job. */
export function pluginQueueName(pluginId: string, job: string): string {
  return `plugin.${pluginId}.${job}`;
}

interface JobEnvelope {
  tenantId?: string;
  data: unknown;
}

/** The `ctx.jobs` of a plugin: schedules its declared jobs on the hub's queue. */
export function pluginJobScheduler(
  plugin: ValidatedPlugin,
  queue: () => JobQueue | undefined,
): JobScheduler {
  const declared = new Set((plugin.definition.jobs ?? []).map((job) => job.name));
  return {
    async schedule(name, data, options = {}) {
      const id = plugin.definition.id;
      if (!declared.has(name)) throw PluginError.undeclared(id, 'job', name);
      const jobs = queue();
      if (!jobs) throw new Error('The job queue is not running (the hub is not started).');
      const envelope: JobEnvelope = { tenantId: options.tenantId, data };
      return jobs.send(pluginQueueName(id, name), envelope, options);
    },
  };
}

function queueOptions(job: { retryLimit?: number; retryDelaySeconds?: number }) {
  return { retryLimit: job.retryLimit ?? 5, retryDelaySeconds: job.retryDelaySeconds ?? 10 };
}

/**
 * Creates the queue of every declared plugin job. Runs before the plugins start: a `start` hook
 * that schedules a job (the HL7 adapter's prune) would otherwise fail on a new database, where
 * pg-boss has no queue of that name yet.
 */
export async function createPluginQueues(host: PluginHost, queue: JobQueue): Promise<void> {
  for (const { definition } of host.plugins)
    for (const job of definition.jobs ?? [])
      await queue.createQueue(pluginQueueName(definition.id, job.name), queueOptions(job));
}

/**
 * Works every declared plugin job. A job of a plugin that is not serving, or whose `run` throws,
 * fails that attempt only: pg-boss retries it with backoff, the hub and other plugins go on.
 */
export async function workPluginJobs(host: PluginHost, queue: JobQueue): Promise<void> {
  for (const { definition } of host.plugins) {
    for (const job of definition.jobs ?? []) {
      await queue.work<JobEnvelope>(
        pluginQueueName(definition.id, job.name),
        queueOptions(job),
        async (queued) => {
          const ctx = host.context(definition.id);
          if (!ctx || !host.serving(definition.id))
            throw new Error(`plugin ${definition.id} is not running; the job is retried`);
          try {
            await job.run(
              queued.data.data,
              { id: queued.id, retryCount: queued.retryCount, tenantId: queued.data.tenantId },
              ctx,
            );
          } catch (error) {
            host.handlerError(definition.id, `job ${job.name}`, error);
            throw error;
          }
        },
      );
    }
  }
}
