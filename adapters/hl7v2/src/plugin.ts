import { CareEventType, Role } from '@caregraph/schema';
import { definePlugin, type FieldPermission, type PluginContext } from '@caregraph/plugin-sdk';
import { hl7v2ConfigSchema, type Hl7v2Config } from './config.js';
import { startFolderWatcher, watchSettings, type RunningWatcher } from './import/folder-watcher.js';
import { importCommand } from './import/import-command.js';
import { checkIntegrationAccount } from './integration-account.js';
import { sendCommand } from './send/send-command.js';
import { startListener, type RunningListener } from './listener.js';
import { hl7PatientData } from './patient-data/index.js';
import { IntegrationMessage } from './store/integration-message.js';
import { IntegrationMessageResolver } from './store/integration-message-resolver.js';
import { Migration20261203080000_hl7_message } from './store/migrations/Migration20261203080000_hl7_message.js';
import { Migration20261203081000_hl7_record_link } from './store/migrations/Migration20261203081000_hl7_record_link.js';
import { Migration20261203090000_hl7_clinical_document } from './store/migrations/Migration20261203090000_hl7_clinical_document.js';
import { Migration20261203100000_hl7_clinical_document_read } from './store/migrations/Migration20261203100000_hl7_clinical_document_read.js';
import { Migration20261203110000_hl7_clinical_document_labels } from './store/migrations/Migration20261203110000_hl7_clinical_document_labels.js';
import { Migration20261203110000_hl7_application_ack } from './store/migrations/Migration20261203110000_hl7_application_ack.js';
import { ClinicalDocument } from './store/clinical-document.js';
import { ClinicalDocumentResolver } from './store/clinical-document-resolver.js';
import { RecordLink } from './store/record-link.js';
import { recoverJob, recoverReceived, scheduleRecovery } from './store/recover-received.js';
import { reprocessJob } from './store/reprocess-batch.js';
import { pruneJob, schedulePrune } from './store/retention.js';
import { Migration20261203090000_hl7_outbound_message } from './outbound/migrations/Migration20261203090000_hl7_outbound_message.js';
import { SIU_EVENT_TYPES } from './outbound/outbound-config.js';
import { OutboundMessage } from './outbound/outbound-message.js';
import { OutboundMessageResolver } from './outbound/outbound-message-resolver.js';
import { startOutbound } from './outbound/start-outbound.js';
import { outboundSendJob } from './outbound/outbound-sender.js';

const operators = { kind: 'roles', roles: [Role.ADMIN, Role.INTEGRATION] } as const;
/** Clinical data: roles that grant clinical reads; the patient is checked where it is known. */
const clinical: FieldPermission = { kind: 'category', category: 'clinical' };

/** Every field of `ClinicalDocument` is clinical data, but its source message is operators'. */
const documentFields = Object.fromEntries(
  [
    'id',
    'createdAt',
    'updatedAt',
    'patientId',
    'type',
    'status',
    'documentNumber',
    'authoredAt',
    'content',
    'securityLabels',
    'title',
    'contentType',
    'author',
  ].map((field) => [field, clinical]),
);

/** The running listener of each started context (a restart gets a new context). */
const listeners = new WeakMap<AbortSignal, RunningListener>();
/** The watched folder of each started context. */
const watchers = new WeakMap<AbortSignal, RunningWatcher>();

/**
 * The HL7 v2 adapter: an MLLP listener that stores every message, applies it through the plugin
 * SDK in one transaction with its store row and acknowledges only what is committed, with a
 * message store (search, reprocessing, error queue) over GraphQL.
 */
export const hl7v2 = definePlugin({
  id: 'hl7v2',
  version: '0.1.0',
  apiVersion: '^1.6.0',
  config: hl7v2ConfigSchema,
  entities: [IntegrationMessage, RecordLink, ClinicalDocument, OutboundMessage],
  migrations: [
    { name: 'hl7_message', class: Migration20261203080000_hl7_message },
    { name: 'hl7_record_link', class: Migration20261203081000_hl7_record_link },
    { name: 'hl7_clinical_document', class: Migration20261203090000_hl7_clinical_document },
    { name: 'hl7_outbound_message', class: Migration20261203090000_hl7_outbound_message },
    {
      name: 'hl7_clinical_document_read',
      class: Migration20261203100000_hl7_clinical_document_read,
    },
    {
      name: 'hl7_clinical_document_labels',
      class: Migration20261203110000_hl7_clinical_document_labels,
    },
    { name: 'hl7_application_ack', class: Migration20261203110000_hl7_application_ack },
  ],
  resolvers: [IntegrationMessageResolver, OutboundMessageResolver, ClinicalDocumentResolver],
  permissions: {
    Query: {
      integrationMessages: operators,
      integrationMessage: operators,
      outboundMessages: operators,
      // As core's patient fields: clinical reads of this patient (role, purpose, relationship).
      clinicalDocuments: { kind: 'patient', category: 'clinical', argument: 'patientId' },
      clinicalDocument: clinical,
    },
    Mutation: {
      reprocessIntegrationMessage: operators,
      reprocessIntegrationMessages: operators,
      ignoreIntegrationMessage: operators,
      retryOutboundMessage: operators,
    },
    IntegrationMessage: operators,
    IntegrationMessageConnection: operators,
    IntegrationMessageEdge: operators,
    Hl7SegmentView: operators,
    OutboundMessage: operators,
    OutboundMessageConnection: operators,
    OutboundMessageEdge: operators,
    ClinicalDocument: { ...documentFields, sourceMessageId: operators },
    ClinicalDocumentConnection: clinical,
    ClinicalDocumentEdge: clinical,
  },
  topics: {
    emits: [CareEventType.LAB_RESULT_AVAILABLE, CareEventType.DEVICE_ALERT],
    consumes: [...SIU_EVENT_TYPES],
  },
  jobs: [reprocessJob, pruneJob, recoverJob, outboundSendJob],
  patientData: hl7PatientData,
  commands: [importCommand, sendCommand],
  async start(ctx) {
    const config = ctx.config as Hl7v2Config;
    const context = ctx as PluginContext<Hl7v2Config>;
    await checkIntegrationAccount(context);
    await schedulePrune(context, new Date(Date.now() + 3_600_000));
    // Messages a crash left stored but not applied (an enhanced-mode sender had its commit ACK
    // and will not resend them): applied before the listener opens, so ahead of anything newer
    // from the same senders. Then a periodic sweep, for an instance that is not started again.
    await recoverReceived(context, new Date());
    await scheduleRecovery(context);
    await startOutbound(context);
    if (config.listen) listeners.set(ctx.signal, await startListener(context));
    if (config.watch)
      watchers.set(ctx.signal, await startFolderWatcher(context, watchSettings(config.watch)));
  },
  async stop(ctx) {
    await watchers.get(ctx.signal)?.close();
    watchers.delete(ctx.signal);
    await listeners.get(ctx.signal)?.close();
    listeners.delete(ctx.signal);
  },
  async health(ctx) {
    const config = ctx.config as Hl7v2Config;
    const listener = listeners.get(ctx.signal);
    const watcher = watchers.get(ctx.signal);
    if (config.listen && !listener)
      return { status: 'degraded', message: 'The MLLP listener is not running.' };
    if (config.watch && !watcher)
      return { status: 'degraded', message: 'The watched folder is not running.' };
    const problem = watcher?.problem();
    if (problem) return { status: 'degraded', message: problem };
    const parts = [listener ? `MLLP on port ${listener.port}` : 'no listener'];
    if (watcher) parts.push('watching a folder');
    return { status: 'ok', message: parts.join(', ') };
  },
});
