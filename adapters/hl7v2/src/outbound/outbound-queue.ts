import { LockMode } from '@mikro-orm/core';
import type { PluginContext, TenantScope } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { OutboundMessage } from './outbound-message.js';
import { OutboundMessageStatus, PENDING_STATUSES } from './outbound-message-status.js';
import { retryDelayMs } from './retry-policy.js';

/** The job that sends a destination's queue. */
export const OUTBOUND_SEND_JOB = 'outbound-send';

/** The data of an `outbound-send` job (ids only, never PHI). */
export interface OutboundSendData {
  destination: string;
}

/** The queue order of a destination: commit order of the events that produced the messages. */
export const QUEUE_ORDER = { createdAt: 'asc', eventPosition: 'asc', id: 'asc' } as const;

/** The head of a destination's queue, as the claim found it. */
export type Claim =
  /** Nothing queued. */
  | { kind: 'idle' }
  /**
   * The head is waiting for its retry time (whoever set it scheduled the run that ends the
   * wait), or `inFlight`: another worker is sending it, until its lease ends at `until`.
   */
  | { kind: 'wait'; until: Date; inFlight: boolean }
  /** The head is ours to send: status `sent`, one more attempt counted. */
  | { kind: 'claimed'; message: OutboundMessage };

/** Runs `work` as the adapter's integration account in its tenant. */
export function asIntegration<T>(
  ctx: PluginContext<Hl7v2Config>,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  const { tenantId, integrationUserId } = ctx.config;
  return ctx.inTenant({ tenantId, userId: integrationUserId }, work);
}

/** Queues a run of the send job of one destination, at `startAfter` (default now). */
export function scheduleSend(
  ctx: PluginContext<Hl7v2Config>,
  destination: string,
  startAfter?: Date,
): Promise<string> {
  const data: OutboundSendData = { destination };
  return ctx.jobs.schedule(OUTBOUND_SEND_JOB, data, {
    tenantId: ctx.config.tenantId,
    startAfter,
    singletonKey: `${destination}@${startAfter?.getTime() ?? 'now'}`,
  });
}

/**
 * Claims the head of a destination's queue (its oldest queued or sent message) if it is due:
 * the row is locked for the transaction, so two workers (two hub instances) never both claim
 * it; the claim marks it `sent` with a lease (`nextAttemptAt` = now + `leaseMs`) after which an
 * attempt that never finished (the hub stopped mid-send) is given up and the message sent again.
 * Only the head is ever sent, so a destination gets its messages strictly in order.
 */
export async function claimHead(
  scope: TenantScope,
  destination: string,
  leaseMs: number,
  now = new Date(),
): Promise<Claim> {
  return scope.write(async (w) => {
    const head = await w.em.findOne(
      OutboundMessage,
      { destination, status: { $in: [...PENDING_STATUSES] } },
      { orderBy: QUEUE_ORDER, lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['text'] },
    );
    if (!head) return { kind: 'idle' } as const;
    if (head.nextAttemptAt && head.nextAttemptAt > now)
      return {
        kind: 'wait',
        until: head.nextAttemptAt,
        inFlight: head.status === OutboundMessageStatus.SENT,
      } as const;
    head.status = OutboundMessageStatus.SENT;
    head.attempts += 1;
    head.sentAt = now;
    head.nextAttemptAt = new Date(now.getTime() + leaseMs);
    return { kind: 'claimed', message: head } as const;
  });
}

/** How one attempt ended. */
export type AttemptResult =
  | { kind: 'acknowledged'; ackCode: string; ackText: string }
  /** An acknowledgement written to the destination: delivered (ACKs get no answer). */
  | { kind: 'written' }
  | { kind: 'rejected'; ackCode: string; ackText: string; errorCode: string; errorText: string }
  /** Timeout, connection failure, an answer that is not its ACK: retried, up to `maxAttempts`. */
  | { kind: 'failed'; errorCode: string; errorText: string; ackText?: string };

/** What {@link recordAttempt} did. */
export type Recorded =
  | { kind: 'done'; status: OutboundMessageStatus }
  | { kind: 'retry'; at: Date }
  /** Another worker took the message over meanwhile (our lease ran out): left to it. */
  | { kind: 'lost' };

/**
 * Stores the outcome of attempt number `attempt` of a claimed message: acknowledged (or, for an
 * acknowledgement, written: delivered); NAKed
 * (error queue, not retried); or failed: queued again after the backoff (1 s doubling, at most
 * 5 minutes), or to the error queue after `maxAttempts`. Audits the disclosure to the destination.
 */
export async function recordAttempt(
  scope: TenantScope,
  claimed: { id: string; attempts: number },
  result: AttemptResult,
  maxAttempts: number,
  now = new Date(),
): Promise<Recorded> {
  return scope.write(async (w) => {
    const row = await w.em.findOne(OutboundMessage, claimed.id, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
    });
    if (!row || row.status !== OutboundMessageStatus.SENT || row.attempts !== claimed.attempts)
      return { kind: 'lost' } as const;
    w.audit({
      action: 'E',
      type: 'hl7.outbound.send',
      entity: `OutboundMessage/${row.id}`,
      patientId: row.patientId,
      detail: { destination: row.destination, messageType: row.messageType, outcome: result.kind },
    });
    if (result.kind === 'failed') {
      row.lastErrorCode = result.errorCode;
      row.lastErrorText = result.errorText;
      if (result.ackText !== undefined) row.ackText = result.ackText;
      if (row.attempts >= maxAttempts) {
        row.status = OutboundMessageStatus.ERROR;
        row.nextAttemptAt = undefined;
        row.lastErrorText = `${result.errorText} Gave up after ${row.attempts} attempts.`;
        return { kind: 'done', status: row.status } as const;
      }
      row.status = OutboundMessageStatus.QUEUED;
      row.nextAttemptAt = new Date(now.getTime() + retryDelayMs(row.attempts));
      return { kind: 'retry', at: row.nextAttemptAt } as const;
    }
    row.nextAttemptAt = undefined;
    if (result.kind === 'written') {
      row.status = OutboundMessageStatus.DELIVERED;
      return { kind: 'done', status: row.status } as const;
    }
    row.ackCode = result.ackCode;
    row.ackText = result.ackText;
    row.ackAt = now;
    if (result.kind === 'acknowledged') row.status = OutboundMessageStatus.ACKNOWLEDGED;
    else {
      row.status = OutboundMessageStatus.ERROR;
      row.lastErrorCode = result.errorCode;
      row.lastErrorText = result.errorText;
    }
    return { kind: 'done', status: row.status } as const;
  });
}
