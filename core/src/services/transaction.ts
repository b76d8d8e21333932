import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import {
  Provenance,
  type CareEventMessage,
  type CareEventSubjectRef,
  type CareEventType,
} from '@caregraph/schema';
import type { AuditDraft } from '../audit/audit-chain.js';
import { appendAuditEvents } from '../audit/audit-chain-append.js';
import { DERIVING_ENTITY_TYPES, deriveEvents, eventKey } from '../events/derived-events.js';
import { appendOutboxEvents } from '../events/outbox.js';
import { UnitOfWorkChanges } from '../events/unit-of-work-changes.js';
import { Loaders } from '../context/loaders.js';
import type { AuthenticatedContext } from '../context/request-context.js';
import { PatientAccess } from '../security/patient-access.js';

/** An event to publish once the transaction commits (written to the outbox with the change). */
export interface CareEventDraft {
  type: CareEventType;
  patientId: string;
  summary: string;
  subject: CareEventSubjectRef;
}

/** What a write runs with: the transaction's EntityManager and recorders for its side records. */
export interface WriteScope {
  em: EntityManager;
  /** Queues an event: written to the tenant's outbox in this transaction, published after commit. */
  emit(event: CareEventDraft): void;
  /**
   * Writes an audit row in the same transaction (what changed, never the values). The rows are
   * appended to the tenant's hash chain when `work` has finished, still inside the transaction.
   */
  audit(entry: {
    action: 'C' | 'R' | 'U' | 'D' | 'E';
    type: string;
    /** FHIR AuditEvent outcome: 0 success (default), 4 minor failure (e.g. refused), 8, 12. */
    outcome?: '0' | '4' | '8' | '12';
    entity: string;
    patientId?: string;
    detail?: Record<string, unknown>;
    /** Overrides the request's purpose of use (a break-glass start is ETREAT). */
    purposeOfUse?: string;
  }): void;
  /**
   * Records who changed a record, in the same transaction. Its source system and message are
   * those of the write (`WriteOptions.source`) when it has one.
   */
  provenance(
    target: string,
    activity: 'create' | 'update' | 'merge' | 'delete',
    reason?: string,
  ): void;
}

/** Where the changes of a write came from: an interface and its message (for Provenance). */
export interface ProvenanceSource {
  /** e.g. the HL7 sending application and facility. */
  system: string;
  /** e.g. the stored integration message's id. */
  messageId?: string;
}

/** Options of `write`. */
export interface WriteOptions {
  /** Every Provenance row of the write names this source. */
  source?: ProvenanceSource;
}

/**
 * The context of a write's own services: its EntityManager, DataLoaders and access decisions read
 * inside the transaction (so they see its uncommitted rows), and a `write` made with it joins the
 * transaction instead of opening another (a service called by a plugin inside its write commits
 * or rolls back with everything else of that write).
 */
export function joinWrite(ctx: AuthenticatedContext, scope: WriteScope): AuthenticatedContext {
  return {
    ...ctx,
    em: scope.em,
    loaders: new Loaders(scope.em, ctx.tenantId),
    access: new PatientAccess(scope.em, ctx.actor, ctx.purposeOfUse),
    activeWrite: scope,
  };
}

/**
 * Runs a write in one transaction with its audit rows (hash-chained per tenant, see
 * `appendAuditEvents`), provenance and events (the tenant's outbox, see `appendOutboxEvents`),
 * then wakes the outbox relay, which publishes the events to the bus. Besides the events `work`
 * emits, the transaction's changes imply events of their own (`deriveEvents`: registrations,
 * admissions, lab results, task assignments, consent changes…); an emitted and a derived event
 * of the same type, subject and patient are one event (the emitted one).
 */
export async function write<T>(
  ctx: AuthenticatedContext,
  work: (scope: WriteScope) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  if (ctx.activeWrite) return work(ctx.activeWrite);
  const events: CareEventMessage[] = [];
  const result = await ctx.em.transactional(async (em) => {
    const audits: AuditDraft[] = [];
    const changes = new UnitOfWorkChanges(em, DERIVING_ENTITY_TYPES);
    const emitted = new Set<string>();
    const emit = (draft: CareEventDraft) => {
      emitted.add(eventKey(draft));
      events.push({
        ...draft,
        id: randomUUID(),
        tenantId: ctx.tenantId,
        occurredAt: new Date().toISOString(),
      });
    };
    const scope: WriteScope = {
      em,
      emit,
      audit: (entry) => {
        audits.push({
          action: entry.action,
          type: entry.type,
          outcome: entry.outcome,
          actorUserId: ctx.actor.userId,
          actorRoles: [...ctx.actor.roles],
          purposeOfUse: entry.purposeOfUse ?? ctx.purposeOfUse,
          patientId: entry.patientId,
          entity: entry.entity,
          requestId: ctx.requestId,
          clientAddress: ctx.clientAddress,
          detail: entry.detail ?? {},
        });
      },
      provenance: (target, activity, reason) => {
        em.create(Provenance, {
          tenantId: ctx.tenantId,
          target,
          activity,
          agentType: 'user',
          agentId: ctx.actor.userId,
          sourceSystem: options.source?.system,
          sourceMessageId: options.source?.messageId,
          reason,
        });
      },
    };
    const value = await work(scope);
    await em.flush();
    for (const draft of await deriveEvents(em, changes.list()))
      if (!emitted.has(eventKey(draft))) emit(draft);
    await appendAuditEvents(em, ctx.tenantId, audits);
    await appendOutboxEvents(em, ctx.tenantId, events);
    return value;
  });
  if (events.length) ctx.events.committed(ctx.tenantId);
  return result;
}
