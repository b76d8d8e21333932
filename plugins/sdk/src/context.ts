import type { EntityManager } from '@mikro-orm/core';
import type {
  Appointment,
  BookAppointmentInput,
  CareEventMessage,
  CareEventSubjectRef,
  CareEventType,
  CodedConcept,
  CommunicationChannel,
  Consent,
  ConsentPurpose,
  CreatePatientInput,
  CreateTaskInput,
  Observation,
  ObservationCategory,
  Patient,
  RecordConsentInput,
  Task,
  UpdatePatientInput,
} from '@caregraph/schema';
import type { JobScheduler } from './jobs.js';
import type { PatientDataCategory } from './permissions.js';

/** A structured logger (pino's shape); PHI paths are redacted by the hub. */
export interface PluginLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Metrics, exported on the hub's `/metrics` with the label `plugin="<id>"`. */
export interface PluginMetrics {
  /** Adds `value` (default 1) to counter `name`. */
  increment(name: string, value?: number, labels?: Record<string, string>): void;
  /** Records one observation (a duration in seconds, a size) of histogram `name`. */
  observe(name: string, value: number, labels?: Record<string, string>): void;
}

/** An event a plugin publishes; the hub adds `id`, `tenantId` and `occurredAt`. */
export interface PluginEventDraft {
  type: CareEventType;
  patientId: string;
  /** Short description without PHI. */
  summary: string;
  subject: CareEventSubjectRef;
}

/** An audit entry: what was done to which record, never the values. */
export interface PluginAuditEntry {
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  /** The record type, e.g. `Observation`. */
  type: string;
  /** `Type/id` of the record. */
  entity: string;
  patientId?: string;
  detail?: Record<string, unknown>;
}

/**
 * What a write runs with: one transaction; events, audit and provenance rows commit with it.
 * Its domain services (since API 1.4.0) join the transaction: a patient registered and the
 * plugin's own rows written in one `write` commit together or not at all.
 */
export interface PluginWriteScope extends DomainServices {
  em: EntityManager;
  /** Queues an event (declared in `topics.emits`); published only if the transaction commits. */
  emit(event: PluginEventDraft): void;
  audit(entry: PluginAuditEntry): void;
  /**
   * Records where a record the plugin wrote through `em` came from (FHIR Provenance), naming the
   * write's `source` (since API 1.4.0). The domain services record their own.
   */
  provenance(
    target: string,
    activity: 'create' | 'update' | 'merge' | 'delete',
    reason?: string,
  ): void;
}

/** Options of `TenantScope.write` (since API 1.4.0). */
export interface PluginWriteOptions {
  /**
   * The interface and message the changes came from: every Provenance row of the write names it,
   * those of the domain services included.
   */
  source?: { system: string; messageId?: string };
}

/** Patient services: matching by identifier, search, registration, updates and merge. */
export interface PatientServices {
  get(id: string): Promise<Patient>;
  /** Exact match on one identifier (e.g. an MRN); null when no patient holds it. */
  findByIdentifier(system: string, value: string): Promise<Patient | null>;
  create(input: CreatePatientInput): Promise<Patient>;
  update(id: string, input: UpdatePatientInput): Promise<Patient>;
  /** Finds the patient by its first identifier, creating it when none matches. */
  upsert(input: CreatePatientInput): Promise<{ patient: Patient; created: boolean }>;
  merge(survivorId: string, loserId: string): Promise<Patient>;
}

/** Appointment services. */
export interface AppointmentServices {
  book(input: BookAppointmentInput): Promise<Appointment>;
  cancel(id: string, reason?: string): Promise<Appointment>;
  /** Moves an appointment that has not begun to another time (since API 1.6.0). */
  reschedule(id: string, slot: { start: Date; end: Date }): Promise<Appointment>;
}

/** Task services. */
export interface TaskServices {
  create(input: CreateTaskInput): Promise<Task>;
  complete(id: string, outcome?: string): Promise<Task>;
}

/** Whose "do not contact me" an opt-out is, on which channel, for which purposes (API 1.7.0). */
export interface OptOutInput {
  patientId: string;
  channel: CommunicationChannel;
  /** The communication purposes it covers (at least one). */
  purposes: readonly ConsentPurpose[];
  /** A caregiver or proxy of the patient whose own choice it is (none: the patient's). */
  granteeRelatedPersonId?: string;
  /** Where it came from, kept on the consent (`Consent.source`), e.g. `sms-keyword`. */
  source: string;
  /** Why (no PHI): e.g. the keyword, or "asked at the front desk". */
  reason?: string;
}

/** Consent services: communication and sharing respect them. */
export interface ConsentServices {
  record(input: RecordConsentInput): Promise<Consent>;
  revoke(id: string, reason?: string): Promise<Consent>;
  /**
   * Records an opt-out in force at once (since API 1.7.0): an active communication DENY consent
   * per purpose on the channel (a purpose already denied there is not denied twice), event
   * `ConsentChanged`, audited as `consent.opt-out`. In a GraphQL caller's scope (`asCaller`) the
   * caller needs core's right to write the patient's consents (`careRelations`, with a care
   * relationship where the matrix asks one); in an `inTenant` scope it is the plugin's own
   * authority (a keyword such as STOP, an unsubscribe link), which only ever narrows what may be
   * sent, and the audit names the plugin. Resolves with the active denials that now cover it.
   */
  recordOptOut(input: OptOutInput): Promise<Consent[]>;
  /**
   * Ends opt-outs at once (since API 1.7.0): revokes the active communication DENY consents of
   * the patient (or grantee) on the channel for the purposes, only those of `source` when it is
   * given (START ends the keyword denials, not one signed on paper). Same authority as
   * `recordOptOut`; audited as `consent.opt-out-end`. Resolves with the consents it revoked.
   */
  endOptOut(input: Omit<OptOutInput, 'source'> & { source?: string }): Promise<Consent[]>;
}

/** A measurement to record about a patient (FHIR Observation with a numeric value). */
export interface RecordObservationInput {
  patientId: string;
  /** e.g. `device` for a wearable's reading. */
  category: ObservationCategory;
  /** What was measured, usually LOINC (`{ system: 'http://loinc.org', code: '8867-4' }`). */
  code: CodedConcept;
  valueQuantity: number;
  /** UCUM unit, e.g. `/min` or `%`. */
  unit: string;
  /** When it was measured. */
  effectiveAt: Date;
}

/** Options of `observations.record` (since API 1.3.0). */
export interface RecordObservationOptions {
  /**
   * Events about a newly stored observation (e.g. a `DeviceAlert` above a threshold), written to
   * the outbox in the observation's own transaction: both commit or neither, so a crash cannot
   * keep the reading and lose its alert. Not called for a measurement already stored. Their
   * types must be declared in `topics.emits`.
   */
  eventsWhenCreated?: (observation: Observation) => PluginEventDraft[];
}

/** Observation services: results, vital signs and device readings. */
export interface ObservationServices {
  /**
   * Records a final observation once: an observation of the same patient, category, code and
   * effective time is the same measurement, and is returned with `created: false`.
   */
  record(
    input: RecordObservationInput,
    options?: RecordObservationOptions,
  ): Promise<{ observation: Observation; created: boolean }>;
}

/** The hub's domain services; each call outside a `write` is a transaction of its own. */
export interface DomainServices {
  patients: PatientServices;
  appointments: AppointmentServices;
  tasks: TaskServices;
  consents: ConsentServices;
  observations: ObservationServices;
}

/**
 * One tenant, acting as one user (an integration account): every read and write runs in the
 * tenant's database scope (row-level security on PostgreSQL), is authorised like a request of
 * that user, and is audited under their id.
 */
export interface TenantScope extends DomainServices {
  tenantId: string;
  actorUserId: string;
  /** A tenant-filtered EntityManager of its own (reads; use `write` for changes). */
  em: EntityManager;
  /** Runs `work` in one transaction with its events, audit and provenance rows. */
  write<T>(work: (scope: PluginWriteScope) => Promise<T>, options?: PluginWriteOptions): Promise<T>;
  /** Publishes one event on its own (a write with no other change). */
  publish(event: PluginEventDraft): Promise<void>;
  /**
   * The tenant's keyed blind index (hex HMAC-SHA256) of a value (since API 1.4.0): what core
   * stores beside a `@Sensitive({ blindIndex })` property, so a plugin can look its own encrypted
   * columns up by exact value.
   */
  blindIndex(value: string): string;
  /**
   * Whether the scope's user may read `category` of the patient (since API 1.5.0): role and
   * purpose of use as the permission matrix grants them, and the care relationship (care team,
   * self, proxy, an active break-the-glass session), decided as core decides for its own fields
   * and memoised per operation. In a GraphQL caller's scope (`asCaller`) the decision, a refusal
   * included, goes into the operation's access audit, written before the response leaves. A
   * malformed id is refused (and not audited: it names no patient).
   */
  mayRead(patientId: string, category: PatientDataCategory): Promise<boolean>;
  /**
   * The security labels (HL7 v3 codes: sensitivity `PSY`, `ETH`, `HIV`…, confidentiality `R`,
   * `V`) whose records of this patient the scope's user must not see (since API 1.6.0): the
   * decision that filters core's own labelled lists (`sensitiveClinical` grant, basis of access,
   * the patient's privacy consents), memoised per operation, and recorded for the access audit
   * as core records it. Leave records carrying any of them out of lists, counts and lookups
   * (redaction by omission), in the query, before their PHI is loaded. A malformed id, or a
   * user without the grant, gets every label.
   */
  withheldLabels(patientId: string): Promise<string[]>;
}

/** Whom a tenant scope acts as. */
export interface ActAs {
  tenantId: string;
  /** An active user of the tenant (an integration account for adapters). */
  userId: string;
  /** HL7 PurposeOfUse (default `TREAT`). */
  purposeOfUse?: string;
}

/** Options of `PluginContext.subscribe` (since plugin API 1.2.0). */
export interface PluginSubscribeOptions {
  /**
   * Names the subscription's cursor (default `default`): a plugin that follows one tenant with
   * two handlers gives each its own name. Letters, digits, `.`, `_`, `-`; at most 100.
   */
  name?: string;
}

/**
 * What the hub gives a plugin in `start`, `stop`, `health`, jobs and route handlers. Declared
 * here, implemented by core: a plugin never imports core.
 */
export interface PluginContext<Config = unknown> {
  pluginId: string;
  /** The validated config (the output of the plugin's config schema). */
  config: Config;
  logger: PluginLogger;
  metrics: PluginMetrics;
  jobs: JobScheduler;
  /** Runs `work` in one tenant's scope, as one of its users. */
  inTenant<T>(actAs: ActAs, work: (scope: TenantScope) => Promise<T>): Promise<T>;
  /**
   * Follows one tenant's committed events (of the types in `topics.consumes`) until `signal`
   * aborts, durably: the hub keeps a cursor per plugin, tenant and subscription name in the
   * database, so after a restart, a Redis reconnection or a queue overflow the handler gets
   * the events it missed (from the outbox, within the replay window). A new subscription starts
   * with the events committed from now on. The cursor moves once `handler` resolves: every
   * event arrives at least once, in order; a throwing handler gets the same event again after a
   * backoff (the plugin is `degraded` meanwhile). One instance drives a cursor at a time.
   */
  subscribe(
    tenantId: string,
    handler: (event: CareEventMessage) => Promise<void>,
    signal: AbortSignal,
    options?: PluginSubscribeOptions,
  ): void;
  /** Aborts when the plugin stops (or is restarted): pass it to `subscribe` and timers. */
  signal: AbortSignal;
  /**
   * The tenant scope of the signed-in caller of a GraphQL request (since API 1.4.0): pass the
   * `@Ctx()` value of a plugin resolver. Reads and writes are authorised and audited as the caller;
   * an anonymous request throws UNAUTHENTICATED.
   */
  asCaller(request: unknown): TenantScope;
}
