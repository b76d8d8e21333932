import { CareEventType } from '@caregraph/schema';
import { definePlugin, PLUGIN_API_VERSION, type PluginContext } from '@caregraph/plugin-sdk';
import type { Emit } from './drive.js';
import { TASK_ASSIGNED_SUMMARY } from './feed-query.js';
import type { EventTarget } from './generate.js';

/**
 * The benchmark's event source inside a hub: a plugin that publishes `TaskAssigned` events
 * through the plugin API (`TenantScope.publish`: one transaction that writes the event to the
 * tenant's outbox and wakes this instance's relay after the commit, as every core write does).
 */
export function benchEventSource() {
  let context: PluginContext | undefined;
  const plugin = definePlugin({
    id: 'bench-event-source',
    version: '0.1.0',
    apiVersion: `^${PLUGIN_API_VERSION}`,
    topics: { emits: [CareEventType.TASK_ASSIGNED] },
    async start(ctx) {
      context = ctx;
    },
  });
  /** Runs `work` with an emitter that publishes event i about `targets[i % length]`. */
  const openLane =
    (tenantId: string, userId: string, targets: EventTarget[]) =>
    (work: (emit: Emit) => Promise<void>) => {
      if (!context) throw new Error('the bench event source plugin has not started');
      return context.inTenant({ tenantId, userId }, (scope) =>
        work((i) => {
          const target = targets[i % targets.length]!;
          return scope.publish({
            type: CareEventType.TASK_ASSIGNED,
            patientId: target.patientId,
            summary: TASK_ASSIGNED_SUMMARY,
            subject: { type: 'Task', id: target.taskId },
          });
        }),
      );
    };
  return { plugin, openLane };
}
