import { CareEventType, Role } from '@caregraph/schema';
import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';
import { hl7v2ConfigSchema, type Hl7v2Config } from './config.js';
import { startListener, type RunningListener } from './listener.js';
import { IntegrationMessage } from './store/integration-message.js';
import { IntegrationMessageResolver } from './store/integration-message-resolver.js';
import { Migration20261203080000_hl7_message } from './store/migrations/Migration20261203080000_hl7_message.js';
import { Migration20261203081000_hl7_record_link } from './store/migrations/Migration20261203081000_hl7_record_link.js';
import { RecordLink } from './store/record-link.js';
import { recoverJob, recoverReceived, scheduleRecovery } from './store/recover-received.js';
import { reprocessJob } from './store/reprocess-batch.js';
import { pruneJob, schedulePrune } from './store/retention.js';

const operators = { kind: 'roles', roles: [Role.ADMIN, Role.INTEGRATION] } as const;

/** The running listener of each started context (a restart gets a new context). */
const listeners = new WeakMap<AbortSignal, RunningListener>();

/**
 * The HL7 v2 adapter: an MLLP listener that stores every message, applies it through the plugin
 * SDK in one transaction with its store row and acknowledges only what is committed, with a
 * message store (search, reprocessing, error queue) over GraphQL.
 */
export const hl7v2 = definePlugin({
  id: 'hl7v2',
  version: '0.1.0',
  apiVersion: '^1.4.0',
  config: hl7v2ConfigSchema,
  entities: [IntegrationMessage, RecordLink],
  migrations: [
    { name: 'hl7_message', class: Migration20261203080000_hl7_message },
    { name: 'hl7_record_link', class: Migration20261203081000_hl7_record_link },
  ],
  resolvers: [IntegrationMessageResolver],
  permissions: {
    Query: { integrationMessages: operators, integrationMessage: operators },
    Mutation: {
      reprocessIntegrationMessage: operators,
      reprocessIntegrationMessages: operators,
      ignoreIntegrationMessage: operators,
    },
    IntegrationMessage: operators,
    IntegrationMessageConnection: operators,
    IntegrationMessageEdge: operators,
    Hl7SegmentView: operators,
  },
  topics: {
    emits: [CareEventType.LAB_RESULT_AVAILABLE, CareEventType.DEVICE_ALERT],
  },
  jobs: [reprocessJob, pruneJob, recoverJob],
  async start(ctx) {
    const config = ctx.config as Hl7v2Config;
    const plugin = ctx as PluginContext<Hl7v2Config>;
    await schedulePrune(plugin, new Date(Date.now() + 3_600_000));
    // Messages a crash left stored but not applied (an enhanced-mode sender had its commit ACK
    // and will not resend them): applied before the listener opens, so ahead of anything newer
    // from the same senders. Then a periodic sweep, for an instance that is not started again.
    await recoverReceived(plugin, new Date());
    await scheduleRecovery(plugin, new Date(Date.now() + 60_000));
    if (config.listen) listeners.set(ctx.signal, await startListener(plugin));
  },
  async stop(ctx) {
    await listeners.get(ctx.signal)?.close();
    listeners.delete(ctx.signal);
  },
  async health(ctx) {
    const listener = listeners.get(ctx.signal);
    if ((ctx.config as Hl7v2Config).listen && !listener)
      return { status: 'degraded', message: 'The MLLP listener is not running.' };
    return { status: 'ok', message: listener ? `MLLP on port ${listener.port}` : 'no listener' };
  },
});
