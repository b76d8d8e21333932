import type { BatchHeader } from './batch.js';
import { formatTimestamp, newControlId } from './build-ack.js';
import { DEFAULT_DELIMITERS } from './delimiters.js';
import { decodeEscapes } from './escapes.js';
import type { Delimiters } from './types.js';
import { writeMessage, type WriterField, type WriterSegment } from './write-message.js';

/** One batch of the answer: the BHS it acknowledges and the ACK messages of its messages. */
export interface BatchAckGroup {
  /** The sender's BHS (its BHS-11 goes to BHS-12); none for messages outside any BHS. */
  header?: BatchHeader;
  /** The ACK messages (as `buildAck` writes them), in the order of the batch's messages. */
  acks: readonly string[];
  /** BTS-2, the batch comment (e.g. what is wrong with the sender's batch). */
  comment?: string;
}

/** Input of {@link buildBatchAck}. */
export interface BuildBatchAckInput {
  /** The sender's FHS: the answer is then a batch file (FHS … FTS) whose FHS-12 is its FHS-11. */
  fileHeader?: BatchHeader;
  /** One per batch received, in order; each is answered BHS … BTS. */
  batches: readonly BatchAckGroup[];
  /** The sender's delimiters (of its FHS/BHS). Default `|^~\&`. */
  delimiters?: Delimiters;
  /** FHS-3/BHS-3 (the hub's identity). Default: the sender's FHS-5/BHS-5. */
  sendingApplication?: string;
  /** FHS-4/BHS-4. Default: the sender's FHS-6/BHS-6. */
  sendingFacility?: string;
  /** FHS-7/BHS-7. Default: now. */
  now?: Date;
  /** FHS-11/BHS-11 of the answer. Default: a new id per header (see `newControlId`). */
  controlId?: () => string;
}

/**
 * Builds a batch acknowledgement (HL7 v2.5, 2.10.3): `[FHS] { BHS { ACK } BTS } [FTS]`, segments
 * joined by `\r`. Each header swaps sender and receiver, carries a new control id in FHS-11/BHS-11
 * and the sender's in FHS-12/BHS-12 (reference control id); BTS-1 counts the batch's ACK
 * messages, FTS-1 the batches.
 */
export function buildBatchAck(input: BuildBatchAckInput): string {
  const delimiters = input.delimiters ?? DEFAULT_DELIMITERS;
  const now = input.now ?? new Date();
  const header = (name: 'FHS' | 'BHS', acked: BatchHeader | undefined): string => {
    const sender = acked ?? input.fileHeader;
    const value = (raw: string | undefined) => raw && decodeEscapes(raw, delimiters);
    const fields: WriterField[] = [];
    fields[3] = input.sendingApplication ?? value(sender?.receivingApplication);
    fields[4] = input.sendingFacility ?? value(sender?.receivingFacility);
    fields[5] = value(sender?.sendingApplication);
    fields[6] = value(sender?.sendingFacility);
    fields[7] = formatTimestamp(now);
    fields[11] = (input.controlId ?? newControlId)();
    fields[12] = value(acked?.controlId);
    return write([name, ...numbered(fields)], delimiters);
  };
  const parts: string[] = [];
  if (input.fileHeader) parts.push(header('FHS', input.fileHeader));
  for (const batch of input.batches) {
    parts.push(header('BHS', batch.header), ...batch.acks);
    parts.push(write(['BTS', String(batch.acks.length), batch.comment], delimiters));
  }
  if (input.fileHeader) parts.push(write(['FTS', String(input.batches.length)], delimiters));
  return parts.join('\r');
}

function write(segment: WriterSegment, delimiters: Delimiters): string {
  return writeMessage([segment], delimiters);
}

/** `fields[n]` is field n: drop index 0 so that the spread lines up with the writer. */
function numbered(fields: WriterField[]): WriterField[] {
  return Array.from({ length: Math.max(fields.length - 1, 0) }, (_, i) => fields[i + 1]);
}
