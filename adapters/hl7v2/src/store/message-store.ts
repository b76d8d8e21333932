import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { PluginWriteScope, TenantScope } from '@caregraph/plugin-sdk';
import { senderKeyOf } from '../message/header.js';
import type { Hl7Message } from '../message/types.js';
import { IntegrationMessage } from './integration-message.js';
import { BLOCKING_STATUSES, IntegrationMessageStatus } from './integration-message-status.js';
import { identifierTable, samePatientKeysSql } from './patient-keys.js';

/** What the store knows of a message before it is processed. */
export interface ReceivedMessage {
  channel: string;
  receivedAt: Date;
  /** The decoded text (or, when MSH could not be read, the bytes as latin1 text). */
  text: string;
  /** Absent when MSH could not be read. */
  message?: Hl7Message;
}

/** What a resend needs of the stored original it repeats. */
export type StoredOriginal = Pick<IntegrationMessage, 'id' | 'status' | 'ackCode' | 'ack'>;

/** The outcome of storing a received message. */
export type StoreResult =
  | { kind: 'new'; row: IntegrationMessage }
  /** A resend (same sender, control id and content) of `original`; `row` records the resend. */
  | { kind: 'duplicate'; row: IntegrationMessage; original: StoredOriginal };

/** `ADT^A01`. */
export function messageTypeOf(message: Hl7Message): string {
  const { messageCode, triggerEvent } = message.header;
  return triggerEvent ? `${messageCode}^${triggerEvent}` : messageCode;
}

/** SHA-256 (hex) of a message's text. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The first patient identifier value (PID-3.1), the key of a patient's arrival order. */
export function patientKeyOf(message: Hl7Message): string | undefined {
  return message.get('PID-3.1') ?? undefined;
}

/** The tenant's blind index of a message's patient key, as stored in `patientKeyIndex`. */
export function patientKeyIndexOf(scope: TenantScope, message: Hl7Message): string | undefined {
  const key = patientKeyOf(message);
  return key ? scope.blindIndex(key) : undefined;
}

/**
 * Takes a transaction-scoped advisory lock on a text key: serialises the writes that decide
 * on one key (a sender's control id, a patient's order) across connections and instances.
 */
export function lockKey(em: EntityManager, key: string): Promise<void> {
  return lockKeys(em, [key]);
}

/** A store row for a received message, not yet persisted (its id is known from here on). */
export function newRow(scope: TenantScope, received: ReceivedMessage): IntegrationMessage {
  const row = new IntegrationMessage();
  row.tenantId = scope.tenantId;
  row.channel = received.channel;
  row.receivedAt = received.receivedAt;
  row.raw = received.text;
  row.contentHash = contentHash(received.text);
  const message = received.message;
  row.sender = message ? senderKeyOf(message) : '';
  if (message) {
    row.controlId = message.header.controlId;
    row.messageType = messageTypeOf(message);
    row.version = message.header.version;
    row.patientKeyIndex = patientKeyIndexOf(scope, message);
  }
  return row;
}

/** The advisory-lock key of a sender's control id (a resend is decided under it). */
function controlIdLock(row: IntegrationMessage): string {
  return `hl7:${row.tenantId}:${row.sender}:${row.controlId}`;
}

/** The advisory-lock key of a patient's messages (their arrival order is kept under it). */
export function patientLock(tenantId: string, patientKeyIndex: string): string {
  return `hl7-patient:${tenantId}:${patientKeyIndex}`;
}

/** One lookup of `lookUp`: a scalar subquery named `as`. */
interface Lookup {
  as: 'original' | 'blocker';
  sql: string;
  params: unknown[];
}

/** The stored original (same sender, control id and content hash) that `row` would repeat. */
function originalLookup(row: IntegrationMessage): Lookup {
  return {
    as: 'original',
    sql: `select json_build_object('id', id, 'status', status, 'ackCode', ack_code, 'ack', ack)
            from hl7_message
           where tenant_id = ? and sender = ? and control_id = ? and content_hash = ? and original
           limit 1`,
    params: [row.tenantId, row.sender, row.controlId, row.contentHash],
  };
}

/**
 * The earliest message of `row`'s patient in the error queue that arrived before it, under any
 * of the patient's keys (`samePatientKeysSql`: after a merge, both records' messages are one queue).
 */
function blockerLookup(row: IntegrationMessage, table: string): Lookup {
  const keys = samePatientKeysSql(table);
  return {
    as: 'blocker',
    sql: `select id from hl7_message
           where tenant_id = ? and patient_key_index in (${keys.sql})
             and status in (${BLOCKING_STATUSES.map(() => '?').join(', ')})
             and original and received_at <= ? and id <> ?
           order by received_at asc, id asc limit 1`,
    params: [
      row.tenantId,
      ...keys.params(row.tenantId, row.patientKeyIndex!),
      ...BLOCKING_STATUSES,
      row.receivedAt,
      row.id,
    ],
  };
}

/**
 * Runs lookups in one statement, as fixed SQL (they run for every message; the ORM's query
 * building costs more than the query).
 */
async function lookUp(
  em: EntityManager,
  lookups: readonly Lookup[],
): Promise<{ original?: StoredOriginal | null; blocker?: string | null }> {
  if (!lookups.length) return {};
  const [found] = await em.execute<
    { original?: StoredOriginal | string | null; blocker?: string | null }[]
  >(
    `select ${lookups.map((l) => `(${l.sql}) as ${l.as}`).join(', ')}`,
    lookups.flatMap((l) => l.params),
  );
  const original = found?.original;
  return {
    original: typeof original === 'string' ? (JSON.parse(original) as StoredOriginal) : original,
    blocker: found?.blocker,
  };
}

/** Takes advisory locks on text keys, in this order, in one statement. */
async function lockKeys(em: EntityManager, keys: readonly string[]): Promise<void> {
  if (!keys.length) return;
  await em.execute(
    `select ${keys.map(() => 'pg_advisory_xact_lock(hashtextextended(?, 0))').join(', ')}`,
    [...keys],
  );
}

/** Marks `row` as a resend of `original` and persists it. */
function persistDuplicate(
  em: EntityManager,
  row: IntegrationMessage,
  original: StoredOriginal,
): StoreResult {
  const stored: StoredOriginal = {
    id: original.id,
    status: original.status,
    ackCode: original.ackCode ?? undefined,
    ack: original.ack ?? undefined,
  };
  row.original = false;
  row.duplicateOf = stored.id;
  row.status = IntegrationMessageStatus.DUPLICATE;
  row.ackCode = stored.ackCode;
  row.ack = stored.ack;
  em.persist(row);
  return { kind: 'duplicate', row, original: stored };
}

/**
 * Persists `row` inside the caller's write, deciding under the sender's control-id lock whether
 * it is a resend of a stored original (same sender, control id and content hash: a duplicate)
 * or a message of its own. A different message that reuses a control id (senders that restart
 * their counters) is a message of its own.
 */
export async function persistReceived(
  w: PluginWriteScope,
  row: IntegrationMessage,
): Promise<StoreResult> {
  const em = w.em as EntityManager;
  if (row.controlId) {
    await lockKeys(em, [controlIdLock(row)]);
    const { original } = await lookUp(em, [originalLookup(row)]);
    if (original) return persistDuplicate(em, row, original);
  }
  row.status = IntegrationMessageStatus.RECEIVED;
  em.persist(row);
  return { kind: 'new', row };
}

/** What `checkReceived` found: a resend, or a new message and its patient's blocking message. */
export type CheckResult =
  | Extract<StoreResult, { kind: 'duplicate' }>
  | { kind: 'new'; row: IntegrationMessage; blocker?: string };

/**
 * `persistReceived` and the patient's blocking message (`blockingMessage`) together, for a message
 * stored and applied in one transaction: the control-id and patient locks in one statement, then
 * both lookups in one. A new row is not persisted: the caller persists it with its outcome (one
 * insert instead of an insert and an update).
 */
export async function checkReceived(
  w: PluginWriteScope,
  row: IntegrationMessage,
): Promise<CheckResult> {
  const em = w.em as EntityManager;
  const locks: string[] = [];
  const lookups: Lookup[] = [];
  if (row.controlId) {
    locks.push(controlIdLock(row));
    lookups.push(originalLookup(row));
  }
  if (row.patientKeyIndex) {
    locks.push(patientLock(row.tenantId, row.patientKeyIndex));
    lookups.push(blockerLookup(row, identifierTable(em)));
  }
  await lockKeys(em, locks);
  const { original, blocker } = await lookUp(em, lookups);
  if (original) return persistDuplicate(em, row, original);
  row.status = IntegrationMessageStatus.RECEIVED;
  return { kind: 'new', row, blocker: blocker ?? undefined };
}

/**
 * Stores a received message in its own transaction (committed before anything is applied, so a
 * crash after it loses nothing); see `persistReceived`.
 */
export async function storeReceived(
  scope: TenantScope,
  received: ReceivedMessage,
): Promise<StoreResult> {
  const row = newRow(scope, received);
  return scope.write((w) => persistReceived(w, row));
}

/** Stores a message that was refused before processing (unreadable MSH, wrong receiver…). */
export async function storeRefused(
  scope: TenantScope,
  received: ReceivedMessage,
  outcome: MessageOutcome,
): Promise<IntegrationMessage> {
  return scope.write(async (w) => {
    const row = newRow(scope, received);
    row.original = false;
    recordOutcome(row, outcome);
    w.em.persist(row);
    return row;
  });
}

/** What became of a message: its status, ACK and, for errors, the coded reason. */
export interface MessageOutcome {
  status: IntegrationMessageStatus;
  ackCode?: string;
  ack?: string;
  errorCode?: string;
  errorText?: string;
  errorLocation?: string;
  mappingVersion?: string;
  patientId?: string;
  records?: string[];
}

/** Writes an outcome onto a row (processing time, error fields cleared on success). */
export function recordOutcome(row: IntegrationMessage, outcome: MessageOutcome): void {
  row.status = outcome.status;
  row.ackCode = outcome.ackCode;
  row.ack = outcome.ack;
  row.errorCode = outcome.errorCode;
  row.errorText = outcome.errorText;
  row.errorLocation = outcome.errorLocation;
  if (outcome.mappingVersion) row.mappingVersion = outcome.mappingVersion;
  if (outcome.patientId) row.patientId = outcome.patientId;
  if (outcome.records) row.records = outcome.records;
  row.processedAt = new Date();
}

/**
 * The earliest stored message of the same patient still in the error queue (error or held)
 * that arrived before `row`: `row` waits behind it. The same patient: under any of the keys of
 * the patient holding `row`'s key (`samePatientKeysSql`), so a merged patient's messages wait
 * behind the errors of both records.
 */
export async function blockingMessage(
  w: PluginWriteScope,
  row: IntegrationMessage,
): Promise<string | undefined> {
  if (!row.patientKeyIndex) return undefined;
  const em = w.em as EntityManager;
  return (await lookUp(em, [blockerLookup(row, identifierTable(em))])).blocker ?? undefined;
}

/** The held messages of a patient (under any of its keys, see `blockingMessage`), in arrival order. */
export async function heldMessages(
  scope: TenantScope,
  patientKeyIndex: string,
): Promise<{ id: string }[]> {
  const em = scope.em.fork() as EntityManager;
  const keys = samePatientKeysSql(identifierTable(em));
  return em.execute<{ id: string }[]>(
    `select id from hl7_message
      where tenant_id = ? and patient_key_index in (${keys.sql}) and status = ? and original
      order by received_at asc, id asc`,
    [
      scope.tenantId,
      ...keys.params(scope.tenantId, patientKeyIndex),
      IntegrationMessageStatus.HELD,
    ],
  );
}
