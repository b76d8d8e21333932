import { readFile } from 'node:fs/promises';
import type { JobDefinition, PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from '../config.js';
import { MllpClient, MllpError, type MllpClientTlsOptions } from '../mllp/index.js';
import { readAck } from './ack-outcome.js';
import { isAcknowledgement } from './application-ack.js';
import type { OutboundDestination } from './outbound-config.js';
import { OutboundErrorCode } from './outbound-error.js';
import { OutboundMessage } from './outbound-message.js';
import { OutboundMessageStatus, PENDING_STATUSES } from './outbound-message-status.js';
import {
  asIntegration,
  claimHead,
  OUTBOUND_SEND_JOB,
  recordAttempt,
  scheduleSend,
  type AttemptResult,
  type OutboundSendData,
} from './outbound-queue.js';

const CONNECT_TIMEOUT_MS = 10_000;
/** How long the receiver has to close its side after an acknowledgement was written. */
const CLOSE_AFTER_ACK_MS = 2_000;
/** Added to the longest an attempt can take before its lease runs out. */
const LEASE_MARGIN_MS = 30_000;
/**
 * One run sends for at most this long, then queues its continuation: destinations share the
 * job's queue, so a long backlog of one does not hold the others back.
 */
const RUN_BUDGET_MS = 60_000;

/** How long a claim is held: connecting, waiting for the ACK, and a margin. */
export function leaseMs(destination: OutboundDestination): number {
  return CONNECT_TIMEOUT_MS + destination.ackTimeoutSeconds * 1000 + LEASE_MARGIN_MS;
}

async function tlsOptions(
  destination: OutboundDestination,
): Promise<MllpClientTlsOptions | undefined> {
  const tls = destination.tls;
  if (!tls) return undefined;
  const read = (file: string | undefined) => (file ? readFile(file) : Promise.resolve(undefined));
  const [ca, cert, key] = await Promise.all([
    read(tls.caFile),
    read(tls.certFile),
    read(tls.keyFile),
  ]);
  return { ca, cert, key, servername: tls.servername };
}

function failure(error: unknown): AttemptResult {
  if (error instanceof MllpError && error.details.tlsHandshake)
    return {
      kind: 'failed',
      errorCode: OutboundErrorCode.TLS_HANDSHAKE,
      errorText: `${error.message} Check the destination's tls.caFile, certFile/keyFile and servername.`,
    };
  if (error instanceof MllpError)
    return { kind: 'failed', errorCode: error.code, errorText: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
    return {
      kind: 'failed',
      errorCode: OutboundErrorCode.TLS_FILE,
      errorText: `A TLS file of the destination could not be read (${code}).`,
    };
  return {
    kind: 'failed',
    errorCode: OutboundErrorCode.SEND_FAILED,
    errorText: 'Sending failed unexpectedly (see the hub log).',
  };
}

/**
 * Sends one destination's queue, oldest message first, one at a time: a message is written only
 * once the one before it was acknowledged or went to the error queue. A connection is opened on
 * first use and reused for the next message; a timeout closes it (MLLP cannot tell a late ACK
 * from the next one).
 */
export class OutboundSender {
  private client: MllpClient | undefined;

  constructor(
    private readonly ctx: PluginContext<Hl7v2Config>,
    private readonly destination: OutboundDestination,
  ) {}

  /** Sends until the queue is empty, its head must wait, or the run's budget is spent. */
  async drain(): Promise<void> {
    const deadline = Date.now() + RUN_BUDGET_MS;
    const { name, maxAttempts } = this.destination;
    try {
      while (!this.ctx.signal.aborted) {
        const claim = await asIntegration(this.ctx, (scope) =>
          claimHead(scope, name, leaseMs(this.destination)),
        );
        if (claim.kind === 'wait' && claim.inFlight) {
          // Sent by another worker, or by one that stopped mid-send (a restart): look again when
          // its lease ends, so an attempt that never finished is not left hanging.
          await scheduleSend(this.ctx, name, claim.until);
          return;
        }
        if (claim.kind !== 'claimed') return;
        const { message } = claim;
        const started = Date.now();
        const result = isAcknowledgement(message.messageType)
          ? await this.deliver(message.text)
          : await this.attempt(message.text, message.controlId);
        const recorded = await asIntegration(this.ctx, (scope) =>
          recordAttempt(scope, message, result, maxAttempts),
        );
        this.report(message.id, result, recorded.kind, (Date.now() - started) / 1000);
        if (recorded.kind === 'retry') {
          await scheduleSend(this.ctx, name, recorded.at);
          return;
        }
        if (recorded.kind === 'lost') return;
        if (Date.now() > deadline) {
          await scheduleSend(this.ctx, name);
          return;
        }
      }
    } finally {
      this.client?.destroy();
    }
  }

  /** The open connection, or a new one. */
  private async connection(): Promise<MllpClient> {
    if (!this.client?.connected)
      this.client = await MllpClient.connect({
        host: this.destination.host,
        port: this.destination.port,
        tls: await tlsOptions(this.destination),
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        logger: this.ctx.logger,
      });
    return this.client;
  }

  /**
   * One send of an acknowledgement: HL7 does not acknowledge ACKs (ours carry MSH-15/16 `NE`),
   * so it is delivered once written. The connection is then closed, so that a receiver that
   * answers it anyway cannot have that answer taken for the ACK of the next message. Never throws.
   */
  private async deliver(text: string): Promise<AttemptResult> {
    try {
      const client = await this.connection();
      await client.write(text);
      await client.close({ timeoutMs: CLOSE_AFTER_ACK_MS });
      return { kind: 'written' };
    } catch (error) {
      this.client?.destroy();
      return failure(error);
    }
  }

  /** One send: connect if needed, write, wait for the ACK, read it. Never throws. */
  private async attempt(text: string, controlId: string): Promise<AttemptResult> {
    try {
      const client = await this.connection();
      const frame = await client.send(text, {
        timeoutMs: Math.round(this.destination.ackTimeoutSeconds * 1000),
      });
      const outcome = readAck(frame, controlId);
      if (outcome.kind === 'acknowledged') return outcome;
      if (outcome.kind === 'rejected')
        return { ...outcome, errorCode: OutboundErrorCode.NAK, errorText: outcome.errorText };
      client.destroy();
      return {
        kind: 'failed',
        errorCode: OutboundErrorCode.BAD_ACK,
        errorText: outcome.errorText,
        ackText: outcome.ackText,
      };
    } catch (error) {
      this.client?.destroy();
      if (!(error instanceof MllpError))
        this.ctx.logger.warn(
          { err: { message: (error as Error)?.message }, destination: this.destination.name },
          'HL7 outbound send failed',
        );
      return failure(error);
    }
  }

  private report(id: string, result: AttemptResult, recorded: string, seconds: number): void {
    const labels = { destination: this.destination.name, outcome: result.kind };
    this.ctx.metrics.increment('outbound_attempts_total', 1, labels);
    if (result.kind === 'acknowledged' || result.kind === 'rejected')
      this.ctx.metrics.observe('outbound_ack_seconds', seconds, {
        destination: this.destination.name,
      });
    const log = result.kind === 'acknowledged' || result.kind === 'written' ? 'info' : 'warn';
    this.ctx.logger[log](
      {
        destination: this.destination.name,
        messageId: id,
        outcome: result.kind,
        recorded,
        ...(result.kind === 'failed' && { code: result.errorCode }),
        ...((result.kind === 'acknowledged' || result.kind === 'rejected') && {
          ackCode: result.ackCode,
        }),
      },
      'HL7 outbound attempt',
    );
  }
}

/**
 * The durable job behind the outbound queue: sends one destination's queue (see
 * {@link OutboundSender}). Scheduled when a message is queued or retried, at the retry time of a
 * failed attempt, and for every destination when the plugin starts (a restart resumes the queue).
 * A failure to reach the database throws, and the job queue retries the run.
 */
export const outboundSendJob: JobDefinition<OutboundSendData> = {
  name: OUTBOUND_SEND_JOB,
  retryLimit: 10,
  retryDelaySeconds: 1,
  async run(data, _job, plugin) {
    const ctx = plugin as PluginContext<Hl7v2Config>;
    const destination = ctx.config.outbound.find((d) => d.name === data.destination);
    if (!destination) {
      await failUnknownDestination(ctx, data.destination);
      return;
    }
    await new OutboundSender(ctx, destination).drain();
  },
};

/** A destination that was removed from the config: its pending messages go to the error queue. */
async function failUnknownDestination(ctx: PluginContext<Hl7v2Config>, name: string) {
  const moved = await asIntegration(ctx, (scope) =>
    scope.write(async (w) => {
      const rows = await w.em.find(OutboundMessage, {
        destination: name,
        status: { $in: [...PENDING_STATUSES] },
      });
      for (const row of rows) {
        row.status = OutboundMessageStatus.ERROR;
        row.nextAttemptAt = undefined;
        row.lastErrorCode = OutboundErrorCode.UNKNOWN_DESTINATION;
        row.lastErrorText = `Destination "${name}" is not configured.`;
      }
      return rows.length;
    }),
  );
  ctx.logger.warn({ destination: name, moved }, 'HL7 outbound destination is not configured');
}
