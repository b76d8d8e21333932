import { DeadlockException, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { PluginContext, PluginWriteScope, TenantScope } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import {
  ackPlan,
  buildAck,
  buildFallbackNak,
  checkHeader,
  formatLocation,
  parseMessage,
  senderKeyOf,
} from '../message/index.js';
import type { AckCode, Hl7Message } from '../message/types.js';
import { IntegrationMessage } from '../store/integration-message.js';
import { IntegrationMessageStatus } from '../store/integration-message-status.js';
import {
  blockingMessage,
  heldMessages,
  lockKey,
  newRow,
  patientKeyIndexOf,
  checkReceived,
  patientLock,
  recordOutcome,
  storeReceived,
  storeRefused,
  type MessageOutcome,
  type StoredOriginal,
} from '../store/message-store.js';
import type { MessageApplier } from './apply-message.js';
import { INTERNAL_FAILURE, isCodedFailure, type CodedFailure } from './coded-failure.js';
import { owedApplicationAck, settleLateAck, type LateAck } from './late-application-ack.js';
import { KNOWN_MESSAGE_CODES } from './message-codes.js';

/** Every HL7 message type, with any trigger event (what is not mapped is stored as such). */
const KNOWN_TYPES = Object.fromEntries(
  [...KNOWN_MESSAGE_CODES].map((code) => [code, '*' as const]),
);

/** Statuses a message can still be (re)processed from. */
const PROCESSABLE: ReadonlySet<IntegrationMessageStatus> = new Set([
  IntegrationMessageStatus.RECEIVED,
  IntegrationMessageStatus.ERROR,
  IntegrationMessageStatus.HELD,
]);

/** How often a message's transaction is run when PostgreSQL aborts it to break a deadlock. */
const DEADLOCK_ATTEMPTS = 3;

/** The result of processing a stored message. */
interface Processed {
  ok: boolean;
  /** The application ACK (AA, AE or AR), as written. */
  ack: string;
  /** The message's status afterwards. */
  status: IntegrationMessageStatus;
  /**
   * Another worker applied it (the sweep, with no connection) and queued its application ACK or
   * marked it undelivered: it is not written on this connection too.
   */
  ackDeferred?: boolean;
}

/** Options of {@link MessageIntake.process}. */
export interface ProcessOptions {
  /**
   * The message is applied with no connection to answer on (restart recovery, the sweep): an
   * application ACK that MSH-16 asks for goes to the sender's `applicationAckDestinations` entry
   * in the transaction of the outcome (or the row is marked undelivered).
   */
  detached?: boolean;
}

/** What became of one received message (`MessageIntake.accept`). */
export interface IntakeResult {
  /** The ACKs to send, in order (see `receive`). */
  acks: string[];
  /**
   * The received message's own status: `DUPLICATE` for a resend (whatever its original's is),
   * `ERROR` for a refused or failed one, else `PROCESSED`, `NOT_MAPPED` or `HELD`.
   */
  status: IntegrationMessageStatus;
}

/** Thrown inside the one-transaction path to roll it back and take the two-step path. */
const TWO_STEP = Symbol('two-step');

/** A stored original whose processing never finished (a crash between storing and applying). */
function unfinished(original: StoredOriginal): boolean {
  return original.status === IntegrationMessageStatus.RECEIVED || !original.ack;
}

/** The outcome a finished row recorded: a success unless it is in the error queue. */
function outcomeOf(row: StoredOriginal): Processed {
  return {
    ok: row.status !== IntegrationMessageStatus.ERROR,
    ack: row.ack ?? '',
    status: row.status,
  };
}

/** The outcome of the original a resend repeats: a success only if that was acknowledged AA. */
function originalOutcome(original: StoredOriginal): Processed {
  return { ...outcomeOf(original), ok: original.ackCode === 'AA' };
}

function failureFields(failure: CodedFailure) {
  return {
    errorCode: failure.code,
    errorText: failure.message,
    errorLocation: failure.location && formatLocation(failure.location),
  };
}

/**
 * The receiving side of the interface engine: stores every message and applies it in one
 * transaction with its store row (original mode), or stores it first and applies it in a second
 * transaction (enhanced mode, whose commit ACK must follow the store; and a message whose apply
 * failed, so its error is recorded after it is safely stored). Resends are answered with the
 * original outcome, and ACKs are built only once the transaction holding the outcome has
 * committed. A message that fails goes to the error queue without blocking the feed; a later
 * message about the same patient is held behind it, so one patient's messages are applied in
 * arrival order.
 */
export class MessageIntake {
  constructor(
    private readonly ctx: PluginContext<Hl7v2Config>,
    private readonly apply: MessageApplier,
  ) {}

  private get config(): Hl7v2Config {
    return this.ctx.config;
  }

  /** Runs `work` as the adapter's integration account in its tenant. */
  inTenant<T>(work: (scope: TenantScope) => Promise<T>): Promise<T> {
    const { tenantId, integrationUserId } = this.config;
    return this.ctx.inTenant({ tenantId, userId: integrationUserId }, work);
  }

  /**
   * Receives one message (an MLLP frame's payload or a file's message) and returns the ACKs to
   * send, in order: one in original mode; the commit ACK and/or the application ACK in enhanced
   * mode, as MSH-15/16 ask. Throws only when the message could not be stored (the database is
   * unreachable): then nothing may be acknowledged, and the sender must send it again.
   */
  async receive(
    payload: Buffer | string,
    channel: string,
    /**
     * Writes an enhanced-mode ACK on the message's connection as soon as it is due (the commit
     * ACK once the message is stored, the application ACK once applied) instead of returning it.
     * An application ACK it cannot write goes to the sender's `applicationAckDestinations` entry.
     */
    reply?: (ack: string) => Promise<void>,
  ): Promise<string[]> {
    return (await this.accept(payload, channel, reply)).acks;
  }

  /**
   * `receive`, also saying what became of the message (a file import counts them). Throws, like
   * `receive`, only when the message could not be stored.
   */
  async accept(
    payload: Buffer | string,
    channel: string,
    reply?: (ack: string) => Promise<void>,
  ): Promise<IntakeResult> {
    const receivedAt = new Date();
    let message: Hl7Message;
    try {
      message = parseMessage(payload);
    } catch (error) {
      if (!isCodedFailure(error)) throw error;
      const ack = await this.refuse(payload, error, channel, receivedAt);
      return { acks: [ack], status: IntegrationMessageStatus.ERROR };
    }
    const refusal = this.screen(message);
    if (refusal) {
      const ack = this.ack(message, 'AR', refusal);
      await this.inTenant((scope) =>
        storeRefused(
          scope,
          { channel, receivedAt, text: message.text, message },
          { status: IntegrationMessageStatus.ERROR, ackCode: 'AR', ack, ...failureFields(refusal) },
        ),
      );
      this.count(message, IntegrationMessageStatus.ERROR);
      return { acks: [ack], status: IntegrationMessageStatus.ERROR };
    }
    return this.inTenant((scope) => this.receiveValid(scope, message, channel, receivedAt, reply));
  }

  private async receiveValid(
    scope: TenantScope,
    message: Hl7Message,
    channel: string,
    receivedAt: Date,
    reply?: (ack: string) => Promise<void>,
  ): Promise<IntakeResult> {
    const plan = ackPlan(message.header);
    const enhanced = plan.mode === 'enhanced';
    const received = { channel, receivedAt, text: message.text, message };
    if (!enhanced) {
      const done = await this.storeAndApply(scope, message, newRow(scope, received));
      if (done) return done;
    }
    const stored = await storeReceived(scope, received);
    const responses: string[] = [];
    if (enhanced && plan.commit(true)) {
      const commitAck = this.ack(message, 'CA');
      if (reply) await reply(commitAck);
      else responses.push(commitAck);
    }
    let processed: Processed;
    const id = stored.kind === 'duplicate' ? stored.original.id : stored.row.id;
    if (stored.kind === 'duplicate') {
      this.count(message, IntegrationMessageStatus.DUPLICATE);
      processed = unfinished(stored.original)
        ? await this.process(scope, id, message)
        : originalOutcome(stored.original);
    } else {
      processed = await this.process(scope, id, message);
    }
    if (!enhanced) responses.push(processed.ack);
    else if (plan.application(processed.ok) && !processed.ackDeferred) {
      if (!reply) responses.push(processed.ack);
      else await this.writeApplicationAck(scope, id, message, processed, reply);
    }
    const status =
      stored.kind === 'duplicate' ? IntegrationMessageStatus.DUPLICATE : processed.status;
    return { acks: responses, status };
  }

  /**
   * Writes an enhanced-mode application ACK on the message's connection; when that is gone, the
   * ACK goes to the sender's application-ACK destination (see {@link owedApplicationAck}).
   */
  private async writeApplicationAck(
    scope: TenantScope,
    id: string,
    message: Hl7Message,
    processed: Processed,
    reply: (ack: string) => Promise<void>,
  ): Promise<void> {
    try {
      await reply(processed.ack);
      return;
    } catch {
      // The connection closed (or was reset) after the commit ACK: the sender will not resend.
    }
    const late = await scope.write(async (w) => {
      const row = await w.em.findOneOrFail(IntegrationMessage, id, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        refresh: true,
      });
      return owedApplicationAck(w, this.config, row, message, processed);
    });
    await settleLateAck(this.ctx, late, id, senderKeyOf(message));
  }

  /**
   * Original mode's path: stores and applies a message in one transaction, so its single ACK
   * waits for one commit instead of two (nothing is acknowledged before that commit, so a crash
   * loses nothing: the sender sends it again). Returns `undefined`, with nothing written, when the
   * message needs the two-step path: its apply failed (the failure is recorded there, after the
   * message is safely stored), or it repeats an original that was never finished.
   */
  private async storeAndApply(
    scope: TenantScope,
    message: Hl7Message,
    row: IntegrationMessage,
  ): Promise<IntakeResult | undefined> {
    try {
      const done = await scope.write(
        async (w) => {
          const checked = await checkReceived(w, row);
          if (checked.kind === 'duplicate') {
            if (unfinished(checked.original)) throw TWO_STEP;
            return { ...originalOutcome(checked.original), duplicate: true };
          }
          row.attempts = 1;
          const processed = await this.applyRow(w, row, message, checked.blocker);
          w.em.persist(row);
          return { ...processed, duplicate: false };
        },
        { source: { system: senderKeyOf(message), messageId: row.id } },
      );
      const status = done.duplicate ? IntegrationMessageStatus.DUPLICATE : done.status;
      this.count(message, status);
      return { acks: [done.ack], status };
    } catch (error) {
      if (error !== TWO_STEP && !isCodedFailure(error) && !(error instanceof DeadlockException))
        this.ctx.logger.warn(
          { err: error, controlId: message.header.controlId },
          'applying an HL7 message with its store row failed; storing it first and retrying',
        );
      return undefined;
    }
  }

  /**
   * Applies a stored message (new, resumed after a crash, or reprocessed) in one transaction with
   * its row; a failure rolls that back and records the error in a transaction of its own.
   */
  async process(
    scope: TenantScope,
    id: string,
    parsed?: Hl7Message,
    options: ProcessOptions = {},
  ): Promise<Processed> {
    let message = parsed;
    let outcome: Processed & { counted: boolean; late: LateAck };
    for (let attempt = 1; ; attempt++)
      try {
        outcome = await scope.write(
          async (w) => {
            const em = w.em as EntityManager;
            // The patient key of a message in hand is its stored blind index, recomputed (no read).
            const key = message
              ? patientKeyIndexOf(scope, message)
              : (await em.findOneOrFail(IntegrationMessage, id, { fields: ['patientKeyIndex'] }))
                  .patientKeyIndex;
            // Serialises the messages of one patient (arrival order) across connections and instances.
            if (key) await lockKey(em, patientLock(scope.tenantId, key));
            const row = await em.findOneOrFail(IntegrationMessage, id, {
              lockMode: LockMode.PESSIMISTIC_WRITE,
              // The body is decrypted only when the message has to be parsed again.
              populate: message ? [] : ['raw'],
              refresh: true,
            });
            if (!PROCESSABLE.has(row.status))
              return {
                ...outcomeOf(row),
                ackDeferred: Boolean(row.applicationAckDelivery),
                counted: true,
                late: undefined,
              };
            row.attempts += 1;
            message ??= parseMessage(row.raw);
            const blocker = await blockingMessage(w, row);
            const processed = await this.applyRow(w, row, message, blocker);
            const late = options.detached
              ? await owedApplicationAck(w, this.config, row, message, processed)
              : undefined;
            return { ...processed, counted: false, late };
          },
          { source: { system: await this.senderOfStored(scope, id, message), messageId: id } },
        );
        break;
      } catch (error) {
        // Two messages that lock the same records in another order: PostgreSQL aborts one; run it again.
        if (error instanceof DeadlockException && attempt < DEADLOCK_ATTEMPTS) continue;
        return this.recordFailure(scope, id, message, error, options);
      }
    // Committed: what follows is no failure of the message.
    if (!outcome.counted) this.count(message!, outcome.status);
    if (outcome.late) await settleLateAck(this.ctx, outcome.late, id, senderKeyOf(message!));
    const { ok, ack, status, ackDeferred } = outcome;
    return { ok, ack, status, ackDeferred };
  }

  /**
   * Applies a message onto its store row inside the write, under its patient's lock: held behind
   * `blocker`, an earlier message of the patient still in the error queue, or applied and
   * acknowledged AA. A failure throws (the write rolls back).
   */
  private async applyRow(
    w: PluginWriteScope,
    row: IntegrationMessage,
    message: Hl7Message,
    blocker: string | undefined,
  ): Promise<Processed> {
    if (blocker) {
      const held: CodedFailure = {
        code: 'CG_ERR_HL7_HELD',
        hl7Code: '207',
        message: `Held: an earlier message about this patient (${blocker}) is in the error queue; this one is applied once that is resolved.`,
      };
      const ack = this.ack(message, 'AE', held);
      recordOutcome(row, {
        status: IntegrationMessageStatus.HELD,
        ackCode: 'AE',
        ack,
        ...failureFields(held),
      });
      return { ok: false, ack, status: IntegrationMessageStatus.HELD };
    }
    const result = await this.apply(message, { w, config: this.config, messageId: row.id });
    const ack = this.ack(message, 'AA');
    recordOutcome(row, {
      status:
        result.kind === 'processed'
          ? IntegrationMessageStatus.PROCESSED
          : IntegrationMessageStatus.NOT_MAPPED,
      ackCode: 'AA',
      ack,
      errorText: result.note,
      mappingVersion: result.mappingVersion,
      patientId: result.patientId,
      records: result.records,
    });
    return { ok: true, ack, status: row.status };
  }

  /** The sender key, from the parsed message or (reprocessing) the stored row. */
  private async senderOfStored(scope: TenantScope, id: string, message?: Hl7Message) {
    if (message) return senderKeyOf(message);
    const row = await scope.em.fork().findOne(IntegrationMessage, id, { fields: ['sender'] });
    return row?.sender || 'unknown sender';
  }

  private async recordFailure(
    scope: TenantScope,
    id: string,
    message: Hl7Message | undefined,
    error: unknown,
    options: ProcessOptions,
  ): Promise<Processed> {
    const failure = isCodedFailure(error) ? error : INTERNAL_FAILURE;
    if (!isCodedFailure(error))
      this.ctx.logger.error({ err: error, messageId: id }, 'applying an HL7 message failed');
    const code: AckCode = failure.ackCode ?? 'AE';
    const ack = message ? this.ack(message, code, failure) : buildFallbackNak('', failure);
    const outcome: MessageOutcome = {
      status: IntegrationMessageStatus.ERROR,
      ackCode: code,
      ack,
      ...failureFields(failure),
    };
    const late = await scope.write(async (w) => {
      // refresh: the failed transaction's increment lives on in memory only.
      const row = await w.em.findOneOrFail(IntegrationMessage, id, { refresh: true });
      row.attempts += 1;
      recordOutcome(row, outcome);
      return options.detached && message
        ? owedApplicationAck(w, this.config, row, message, { ok: false, ack })
        : undefined;
    });
    if (message) {
      this.count(message, IntegrationMessageStatus.ERROR);
      await settleLateAck(this.ctx, late, id, senderKeyOf(message));
    }
    return { ok: false, ack, status: IntegrationMessageStatus.ERROR };
  }

  /**
   * Reprocesses a message of the error queue (or a held one); when it succeeds, the messages of
   * the same patient held behind it are applied, in arrival order, until one fails.
   */
  async reprocess(id: string): Promise<IntegrationMessage> {
    const result = await this.inTenant((scope) => this.process(scope, id));
    const read = () => this.inTenant((scope) => scope.em.findOneOrFail(IntegrationMessage, id));
    const row = await read();
    if (result.ok && row.patientKeyIndex) await this.releaseHeld(row.patientKeyIndex);
    return row;
  }

  /**
   * Applies a patient's held messages in arrival order, stopping at the first that fails. Each in
   * a scope of its own: a failed transaction leaves no changed entity behind for the next one.
   */
  async releaseHeld(patientKeyIndex: string): Promise<void> {
    const held = await this.inTenant((scope) => heldMessages(scope, patientKeyIndex));
    for (const { id } of held) {
      const result = await this.inTenant((scope) => this.process(scope, id));
      if (!result.ok) return;
    }
  }

  /** Refuses a message that does not go through: receiving application, processing id, type. */
  private screen(message: Hl7Message): CodedFailure | undefined {
    const { header } = message;
    const receivers = this.config.receivingApplications;
    if (receivers.length && !receivers.includes(header.receivingApplication ?? ''))
      return {
        code: 'HL7_ERR_UNKNOWN_RECEIVER',
        hl7Code: '207',
        message: 'The receiving application (MSH-5) is not this interface.',
        location: { segment: 'MSH', sequence: 1, field: 5 },
      };
    try {
      checkHeader(header, { messageTypes: KNOWN_TYPES, processingIds: this.config.processingIds });
    } catch (error) {
      if (isCodedFailure(error)) return error;
      throw error;
    }
    return undefined;
  }

  /**
   * Refuses a message whose MSH cannot be read (or that is too large to read): stores what
   * arrived in the error queue and returns an AR built from whatever MSH fields can be scraped.
   */
  async refuse(
    payload: Buffer | string,
    failure: CodedFailure,
    channel: string,
    receivedAt: Date,
  ): Promise<string> {
    const ack = buildFallbackNak(payload, failure);
    const text = typeof payload === 'string' ? payload : payload.toString('latin1');
    await this.inTenant((scope) =>
      storeRefused(
        scope,
        { channel, receivedAt, text },
        { status: IntegrationMessageStatus.ERROR, ackCode: 'AR', ack, ...failureFields(failure) },
      ),
    );
    this.ctx.metrics.increment('messages_total', 1, { type: 'unreadable', status: 'error' });
    return ack;
  }

  private ack(message: Hl7Message, code: AckCode, error?: CodedFailure): string {
    return buildAck({
      header: message.header,
      delimiters: message.delimiters,
      code,
      error,
      sendingApplication: this.config.application,
      sendingFacility: this.config.facility,
    });
  }

  private count(message: Hl7Message, status: IntegrationMessageStatus): void {
    this.ctx.metrics.increment('messages_total', 1, {
      type: message.header.messageCode,
      status,
    });
  }
}
