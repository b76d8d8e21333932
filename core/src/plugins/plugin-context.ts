import type { MikroORM } from '@mikro-orm/sql';
import { isEntityId, type CareEventMessage } from '@caregraph/schema';
import type {
  ActAs,
  DomainServices,
  JobScheduler,
  PluginContext,
  PluginEventDraft,
  TenantScope,
} from '@caregraph/plugin-sdk';
import { loadActiveActors } from '../auth/resolve-actor.js';
import type { ContextFactory } from '../context/context-factory.js';
import type { AuthenticatedContext } from '../context/request-context.js';
import { withTenantScope } from '../db/tenant-scope.js';
import { UnauthenticatedError } from '../errors/caregraph-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import {
  bookAppointment,
  cancelAppointment,
  rescheduleAppointment,
} from '../services/appointment-service.js';
import { recordConsent, revokeConsent } from '../services/consent-service.js';
import { endOptOut, recordOptOut, type OptOutAuthority } from '../services/opt-out-service.js';
import { recordObservation } from '../services/observation-service.js';
import {
  createPatient,
  findPatientByIdentifier,
  tenantBlindIndex,
  getPatient,
  mergePatients,
  updatePatient,
} from '../services/patient-service.js';
import { completeTask, createTask } from '../services/task-service.js';
import { joinWrite, write, type WriteScope } from '../services/transaction.js';
import type { PluginMetricsRegistry } from './plugin-metrics.js';
import { PluginError } from './plugin-error.js';
import type { PluginEventCursors } from './plugin-event-cursor.js';
import {
  runPluginSubscription,
  type PluginSubscriptionSettings,
} from './plugin-event-subscription.js';
import type { ValidatedPlugin } from './validate-plugins.js';

/** What the hub lends every plugin context. */
export interface PluginContextDeps {
  orm: MikroORM;
  contexts: ContextFactory;
  events: EventBus;
  logger: Logger;
  metrics: PluginMetricsRegistry;
  jobs: (plugin: ValidatedPlugin) => JobScheduler;
  /** The cursors and settings of durable event subscriptions. */
  subscriptions: { cursors: PluginEventCursors; settings: PluginSubscriptionSettings };
  /** Records an exception of a plugin handler (logged, counted; the plugin keeps its state). */
  onHandlerError(pluginId: string, where: string, error: unknown): void;
  /** A subscription could not read the outbox or its cursor (the database): logged. */
  onSubscriptionFailure(pluginId: string, name: string, error: unknown): void;
  /** Something keeps part of the plugin from working (degraded), or it cleared (undefined). */
  onIssue(pluginId: string, key: string, message: string | undefined): void;
  /** A subscription's events were deleted before its handler got them (degraded, logged). */
  onEventsLost(pluginId: string, key: string, error: PluginError): void;
  /** A subscription runs until `done` settles (the host waits for it when the plugin stops). */
  onSubscriptionRunning(pluginId: string, done: Promise<void>): void;
}

/** What `subscribe(..., { name })` accepts (it is part of the cursor's key). */
const SUBSCRIPTION_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Queues a plugin's event in a core write, refusing a type the plugin did not declare. */
function emitDeclared(
  plugin: ValidatedPlugin,
): (scope: WriteScope, event: PluginEventDraft) => void {
  const emits = new Set(plugin.definition.topics?.emits ?? []);
  return (scope, event) => {
    if (!emits.has(event.type))
      throw PluginError.undeclared(plugin.definition.id, 'topic', event.type);
    scope.emit(event);
  };
}

/**
 * The domain services of a scope, bound to `ctx` (inside a write: its joined context). `asCaller`
 * says whose authority opt-outs are written under: the GraphQL caller's, or the plugin's own.
 */
function domainServices(
  plugin: ValidatedPlugin,
  ctx: AuthenticatedContext,
  asCaller: boolean,
): DomainServices {
  const optOutAuthority: OptOutAuthority = asCaller
    ? { kind: 'caller' }
    : { kind: 'plugin', pluginId: plugin.definition.id };
  return {
    patients: {
      get: (id) => getPatient(ctx, id),
      findByIdentifier: (system, value) => findPatientByIdentifier(ctx, system, value),
      create: (input) => createPatient(ctx, input),
      update: (id, input) => updatePatient(ctx, id, input),
      async upsert(input) {
        const key = input.identifiers?.[0];
        const existing = key ? await findPatientByIdentifier(ctx, key.system, key.value) : null;
        if (existing) return { patient: existing, created: false };
        return { patient: await createPatient(ctx, input), created: true };
      },
      merge: (survivorId, loserId) => mergePatients(ctx, survivorId, loserId),
    },
    appointments: {
      book: (input) => bookAppointment(ctx, input),
      cancel: (id, reason) => cancelAppointment(ctx, id, reason),
      reschedule: (id, slot) => rescheduleAppointment(ctx, id, slot),
    },
    tasks: {
      create: (input) => createTask(ctx, input),
      complete: (id, outcome) => completeTask(ctx, id, outcome),
    },
    consents: {
      record: (input) => recordConsent(ctx, input),
      revoke: (id, reason) => revokeConsent(ctx, id, reason),
      recordOptOut: (input) => recordOptOut(ctx, input, optOutAuthority),
      endOptOut: (input) => endOptOut(ctx, input, optOutAuthority),
    },
    observations: {
      record: (input, options) => {
        const events = options?.eventsWhenCreated;
        if (!events) return recordObservation(ctx, input);
        const emit = emitDeclared(plugin);
        return recordObservation(ctx, input, (observation, scope) => {
          for (const event of events(observation)) emit(scope, event);
        });
      },
    },
  };
}

function writeScope(
  plugin: ValidatedPlugin,
  ctx: AuthenticatedContext,
  asCaller: boolean,
): TenantScope['write'] {
  const emit = emitDeclared(plugin);
  return (work, options) =>
    write(
      ctx,
      (scope) =>
        work({
          em: scope.em,
          emit: (event: PluginEventDraft) => emit(scope, event),
          audit: (entry) => scope.audit(entry),
          provenance: (target, activity, reason) => scope.provenance(target, activity, reason),
          ...domainServices(plugin, joinWrite(ctx, scope), asCaller),
        }),
      options,
    );
}

function tenantScope(
  plugin: ValidatedPlugin,
  ctx: AuthenticatedContext,
  asCaller: boolean,
): TenantScope {
  const inWrite = writeScope(plugin, ctx, asCaller);
  return {
    tenantId: ctx.tenantId,
    actorUserId: ctx.actor.userId,
    em: ctx.em,
    write: inWrite,
    publish: (event) => inWrite(async (scope) => scope.emit(event)),
    blindIndex: (value) => tenantBlindIndex(ctx, value),
    // The operation's PatientAccess: decisions are memoised and recorded for its access audit.
    mayRead: async (patientId, category) =>
      isEntityId(patientId) && ctx.access.mayRead(patientId, category),
    // The same decision that filters core's labelled lists; a malformed id is refused there.
    withheldLabels: (patientId) => ctx.access.withheldLabels(patientId),
    ...domainServices(plugin, ctx, asCaller),
  };
}

/**
 * Builds the context one plugin runs with. Database work goes through `inTenant`, which runs in
 * the tenant's database scope (row-level security) as an active user of that tenant, so the
 * plugin is authorised and audited like that user's requests.
 */
export function createPluginContext(
  plugin: ValidatedPlugin,
  deps: PluginContextDeps,
  signal: AbortSignal,
): PluginContext {
  const id = plugin.definition.id;
  const logger = deps.logger.child({ plugin: id });
  const consumes = new Set<string>(plugin.definition.topics?.consumes ?? []);
  /** The live subscriptions of this context, by tenant and name. */
  const subscriptions = new Map<string, AbortSignal>();
  return {
    pluginId: id,
    config: plugin.config,
    logger,
    metrics: deps.metrics.forPlugin(id),
    jobs: deps.jobs(plugin),
    signal,
    async inTenant<T>(actAs: ActAs, work: (scope: TenantScope) => Promise<T>): Promise<T> {
      return withTenantScope(actAs.tenantId, async () => {
        const actor = (await loadActiveActors(deps.orm, [actAs.userId])).get(actAs.userId);
        if (!actor || actor.tenantId !== actAs.tenantId.toLowerCase())
          throw UnauthenticatedError.unknownUser();
        const ctx = deps.contexts.forActor(actor, {
          purposeOfUse: actAs.purposeOfUse,
        }) as AuthenticatedContext;
        return work(tenantScope(plugin, ctx, false));
      });
    },
    asCaller(request) {
      const ctx = request as Partial<AuthenticatedContext> | undefined;
      if (!ctx?.actor || !ctx.tenantId || !ctx.em) throw UnauthenticatedError.missingToken();
      return tenantScope(plugin, ctx as AuthenticatedContext, true);
    },
    subscribe(tenantId, handler, until, options = {}) {
      const name = options.name ?? 'default';
      if (!SUBSCRIPTION_NAME.test(name))
        throw PluginError.invalidDefinition(
          ['subscribe', 'name'],
          id,
          `subscription name "${name}" must be 1-100 letters, digits, ".", "_" or "-".`,
        );
      if (!isEntityId(tenantId))
        throw PluginError.invalidDefinition(
          ['subscribe', 'tenantId'],
          id,
          'tenantId must be a tenant id.',
        );
      const both = AbortSignal.any([signal, until]);
      const slot = `${tenantId.toLowerCase()}\0${name}`;
      if (subscriptions.get(slot)?.aborted === false)
        throw PluginError.duplicateSubscription(id, name);
      subscriptions.set(slot, both);
      const key = { tenantId: tenantId.toLowerCase(), pluginId: id, name };
      const issue = `subscription:${slot}`;
      const done = runPluginSubscription({
        orm: deps.orm,
        events: deps.events,
        ...deps.subscriptions,
        key,
        consumes,
        handler: (event) => handler(event as CareEventMessage),
        signal: both,
        report: {
          handlerError: (where, error) => deps.onHandlerError(id, where, error),
          failed: (error) => deps.onSubscriptionFailure(id, name, error),
          issue: (message) => deps.onIssue(id, issue, message),
          lost: (error) => deps.onEventsLost(id, `${issue}:lost`, error),
        },
      });
      deps.onSubscriptionRunning(id, done);
    },
  };
}
