import { readFile } from 'node:fs/promises';
import type { PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from './config.js';
import { Hl7Error, Hl7ErrorCode, isBatchInput } from './message/index.js';
import { MllpServer } from './mllp/index.js';
import { messageApplier } from './apply/index.js';
import { MessageIntake } from './pipeline/message-intake.js';
import { receiveBatch } from './pipeline/receive-batch.js';

/** A started MLLP listener. */
export interface RunningListener {
  port: number;
  /** Stops accepting, finishes in-flight messages (their ACKs are sent), closes connections. */
  close(): Promise<void>;
}

async function tlsOptions(config: Exclude<Hl7v2Config['listen'], false>) {
  if (!config.tls) return undefined;
  const { keyFile, certFile, caFile, requestCert } = config.tls;
  return {
    key: await readFile(keyFile),
    cert: await readFile(certFile),
    ca: caFile ? await readFile(caFile) : undefined,
    requestCert,
  };
}

/**
 * Answers a batch frame: its messages go through the intake one by one, in order, and the frame
 * gets one batch acknowledgement. Structural problems are counted and logged (lines, never content).
 */
async function answerBatch(
  ctx: PluginContext<Hl7v2Config>,
  intake: MessageIntake,
  payload: Buffer,
  connectionId: string,
): Promise<string> {
  const batch = await receiveBatch(intake, payload, 'mllp', ctx.config);
  ctx.metrics.increment('batches_total');
  for (const problem of batch.problems)
    ctx.metrics.increment('batch_problems_total', 1, { code: problem.code });
  if (batch.problems.length > 0)
    ctx.logger.warn(
      { connectionId, messages: batch.messages, problems: batch.problems },
      'HL7 batch with structural problems: its messages were processed',
    );
  return batch.ack;
}

/**
 * Starts the MLLP listener of the adapter: each frame goes through the intake (stored, applied,
 * acknowledged after commit); a batch frame (FHS/BHS first) is split and each of its messages goes
 * through the intake in order, answered with one batch acknowledgement; an oversize frame is
 * stored in the error queue and answered with an AR built from its MSH. A frame the intake cannot
 * store (the database is down) gets no ACK and its connection is closed, so the sender sends it
 * again.
 */
export async function startListener(ctx: PluginContext<Hl7v2Config>): Promise<RunningListener> {
  const listen = ctx.config.listen;
  if (!listen) throw new Error('the listener is disabled in the config');
  const intake = new MessageIntake(ctx, messageApplier());
  const server = new MllpServer({
    host: listen.host,
    port: listen.port,
    tls: await tlsOptions(listen),
    maxMessageBytes: listen.maxMessageBytes,
    idleTimeoutMs: listen.idleTimeoutSeconds * 1000,
    maxConnections: listen.maxConnections,
    logger: ctx.logger,
    handler: async (payload, frame) => {
      const started = performance.now();
      const acks = isBatchInput(payload)
        ? await answerBatch(ctx, intake, payload, frame.connection.id)
        : // Enhanced mode: the commit ACK goes out once the message is stored, before it is applied;
          // an application ACK the connection cannot take any more goes to a destination.
          await intake.receive(payload, 'mllp', (ack) => frame.reply(ack));
      ctx.metrics.observe('ack_seconds', (performance.now() - started) / 1000);
      return acks;
    },
    onOversize: async (prefix, frame) => {
      const tooLarge = new Hl7Error(
        Hl7ErrorCode.APPLICATION_INTERNAL,
        `The message is larger than the listener accepts (${listen.maxMessageBytes} bytes).`,
        { ackCode: 'AR' },
      );
      ctx.metrics.increment('oversize_total');
      return intake.refuse(prefix, tooLarge, 'mllp', frame.receivedAt);
    },
  });
  const address = await server.listen();
  ctx.logger.info(
    { host: listen.host, port: address.port, tls: Boolean(listen.tls) },
    'HL7 MLLP listener started',
  );
  return { port: address.port, close: () => server.close() };
}
