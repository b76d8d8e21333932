import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { PluginWriteScope, TenantScope } from '@caregraph/plugin-sdk';
import { senderKeyOf } from '../message/header.js';
import type { Hl7Message } from '../message/types.js';
import { IntegrationMessage } from './integration-message.js';
import { BLOCKING_STATUSES, IntegrationMessageStatus } from './integration-message-status.js';
import { samePatientKeys } from './patient-keys.js';

/** What the store knows of a message before it is processed. */
export interface ReceivedMessage {
  channel: string;
  receivedAt: Date;
  /** The decoded text (or, when MSH could not be read, the bytes as latin1 text). */
  text: string;
  /** Absent when MSH could not be read. */
  message?: Hl7Message;
}

/** The outcome of storing a received message. */
export type StoreResult =
  | { kind: 'new'; row: IntegrationMessage }
  /** A resend (same sender, control id and content) of `original`; `row` records the resend. */
  | { kind: 'duplicate'; row: IntegrationMessage; original: IntegrationMessage };

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
export async function lockKey(em: EntityManager, key: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
}

function newRow(scope: TenantScope, received: ReceivedMessage): IntegrationMessage {
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

/**
 * Stores a received message in its own transaction (committed before anything is applied, so a
 * crash after it loses nothing). A resend of a stored original (same sender, control id and
 * content hash) is a duplicate. A different message that reuses a control id (senders that restart
 * their counters) is a message of its own.
 */
export async function storeReceived(
  scope: TenantScope,
  received: ReceivedMessage,
): Promise<StoreResult> {
  return scope.write(async (w) => {
    const em = w.em as EntityManager;
    const row = newRow(scope, received);
    if (!row.controlId) {
      row.status = IntegrationMessageStatus.RECEIVED;
      em.persist(row);
      return { kind: 'new', row };
    }
    await lockKey(em, `hl7:${scope.tenantId}:${row.sender}:${row.controlId}`);
    const original = await em.findOne(IntegrationMessage, {
      sender: row.sender,
      controlId: row.controlId,
      contentHash: row.contentHash,
      original: true,
    });
    if (!original) {
      row.status = IntegrationMessageStatus.RECEIVED;
      em.persist(row);
      return { kind: 'new', row };
    }
    row.original = false;
    row.duplicateOf = original.id;
    row.status = IntegrationMessageStatus.DUPLICATE;
    row.ackCode = original.ackCode;
    row.ack = original.ack;
    em.persist(row);
    return { kind: 'duplicate', row, original };
  });
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
 * the patient holding `row`'s key (`samePatientKeys`), so a merged patient's messages wait
 * behind the errors of both records.
 */
export async function blockingMessage(
  w: PluginWriteScope,
  row: IntegrationMessage,
): Promise<IntegrationMessage | null> {
  if (!row.patientKeyIndex) return null;
  const keys = await samePatientKeys(w.em, row.tenantId, row.patientKeyIndex);
  return w.em.findOne(
    IntegrationMessage,
    {
      patientKeyIndex: { $in: keys },
      status: { $in: [...BLOCKING_STATUSES] },
      original: true,
      receivedAt: { $lte: row.receivedAt },
      id: { $ne: row.id },
    },
    { orderBy: { receivedAt: 'asc', id: 'asc' } },
  );
}

/** The held messages of a patient (under any of its keys, see `blockingMessage`), in arrival order. */
export async function heldMessages(
  scope: TenantScope,
  patientKeyIndex: string,
): Promise<{ id: string }[]> {
  const em = scope.em.fork();
  const keys = await samePatientKeys(em, scope.tenantId, patientKeyIndex);
  return em.find(
    IntegrationMessage,
    { patientKeyIndex: { $in: keys }, status: IntegrationMessageStatus.HELD, original: true },
    { orderBy: { receivedAt: 'asc', id: 'asc' }, fields: ['id'] },
  );
}
