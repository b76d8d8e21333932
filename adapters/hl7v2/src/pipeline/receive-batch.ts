import {
  buildBatchAck,
  splitBatch,
  type BatchAckGroup,
  type BatchProblem,
} from '../message/index.js';
import type { MessageIntake } from './message-intake.js';

/** What {@link receiveBatch} did with a batch. */
export interface BatchReceipt {
  /** The batch acknowledgement to send back. */
  ack: string;
  /** Messages sent through the intake. */
  messages: number;
  /** The batch's structural problems (BTS/FTS counts, missing trailers, stray lines). */
  problems: BatchProblem[];
}

/** The hub's identity in the answer's FHS/BHS (the adapter's `application` and `facility`). */
export interface BatchAckIdentity {
  application?: string;
  facility?: string;
}

/**
 * Receives a batch (FHS/BHS … BTS/FTS in one payload): each message goes through the intake on
 * its own, in order, one at a time (stored, deduplicated, applied or put in the error queue,
 * exactly as a message that arrives alone), and the answer is one batch acknowledgement holding
 * each message's ACKs. A structural problem of the batch does not stop the messages that were
 * read: they are processed and the problems are named in the BTS-2 of the answer's last batch.
 * Throws, like the intake, when a message could not be stored: the messages before it are
 * stored (a resent batch finds them as duplicates), and nothing may be acknowledged.
 */
export async function receiveBatch(
  intake: Pick<MessageIntake, 'accept'>,
  payload: Buffer | string,
  channel: string,
  identity: BatchAckIdentity = {},
): Promise<BatchReceipt> {
  const split = splitBatch(payload);
  const groups: BatchAckGroup[] = [];
  let next = 0;
  for (const batch of split.batches) {
    const acks: string[] = [];
    for (const text of split.messages.slice(next, next + batch.messageCount)) {
      acks.push(...(await intake.accept(text, channel)).acks);
    }
    next += batch.messageCount;
    groups.push({ header: batch.header, acks });
  }
  // FHS … FTS without any BHS or message: an empty file, answered with one empty batch.
  if (groups.length === 0) groups.push({ acks: [] });
  if (split.problems.length > 0) {
    groups[groups.length - 1]!.comment = split.problems.map((p) => p.message).join(' ');
  }
  const ack = buildBatchAck({
    fileHeader: split.header?.segment === 'FHS' ? split.header : undefined,
    batches: groups,
    delimiters: split.headerDelimiters,
    sendingApplication: identity.application,
    sendingFacility: identity.facility,
  });
  return { ack, messages: split.messages.length, problems: split.problems };
}
