import { parseMessage } from '../message/index.js';
import type { AckCode } from '../message/types.js';
import { OutboundErrorCode } from './outbound-error.js';

/** What a destination's answer means for the message sent. */
export type AckOutcome =
  /** AA or CA: delivered. */
  | { kind: 'acknowledged'; ackCode: AckCode; ackText: string }
  /** AE, AR, CE or CR: refused; to the error queue, not retried automatically. */
  | { kind: 'rejected'; ackCode: AckCode; ackText: string; errorText: string }
  /** Not an ACK of this message: counts as a failed attempt (retried). */
  | { kind: 'invalid'; ackText: string; errorText: string };

const ACCEPTED: ReadonlySet<string> = new Set(['AA', 'CA']);
const REJECTED: ReadonlySet<string> = new Set(['AE', 'AR', 'CE', 'CR']);
/** Longest ACK kept (a receiver may answer with a long error text). */
const MAX_ACK_CHARS = 8_000;

/** The reason of a NAK without the receiver's free text (it may hold PHI): code and ERR-3 code. */
function nakSummary(code: string, condition: string | undefined): string {
  const why = condition ? ` (ERR-3 ${condition.slice(0, 20)})` : '';
  return `The destination answered ${code}${why}.`;
}

/**
 * Reads the answer to a message with control id `controlId`: MSA-1 decides, MSA-2 must name the
 * message. An answer that does not parse, has no MSA, or acknowledges another message is
 * `invalid` (the attempt failed; `BAD_ACK`).
 */
export function readAck(frame: Buffer, controlId: string): AckOutcome {
  const raw = frame.toString('utf8').slice(0, MAX_ACK_CHARS);
  let code: string | undefined;
  let acknowledged: string | undefined;
  let condition: string | undefined;
  let text: string;
  try {
    const ack = parseMessage(frame);
    text = ack.text.slice(0, MAX_ACK_CHARS);
    code = String(ack.get('MSA-1') ?? '')
      .trim()
      .toUpperCase();
    acknowledged = String(ack.get('MSA-2') ?? '').trim();
    const err = ack.get('ERR-3.1') ?? ack.get('ERR-1.4.1');
    condition = typeof err === 'string' && err.trim() ? err.trim() : undefined;
  } catch {
    return {
      kind: 'invalid',
      ackText: raw,
      errorText: 'The answer is not a readable HL7 message.',
    };
  }
  if (!ACCEPTED.has(code) && !REJECTED.has(code))
    return {
      kind: 'invalid',
      ackText: text,
      errorText: 'The answer has no MSA-1 acknowledgment code.',
    };
  if (acknowledged !== controlId)
    return {
      kind: 'invalid',
      ackText: text,
      errorText: 'The answer acknowledges another message (MSA-2 is not the MSH-10 sent).',
    };
  const ackCode = code as AckCode;
  if (ACCEPTED.has(code)) return { kind: 'acknowledged', ackCode, ackText: text };
  return { kind: 'rejected', ackCode, ackText: text, errorText: nakSummary(code, condition) };
}

/** The error code an outcome is stored with. */
export function outcomeErrorCode(outcome: AckOutcome): string | undefined {
  if (outcome.kind === 'rejected') return OutboundErrorCode.NAK;
  if (outcome.kind === 'invalid') return OutboundErrorCode.BAD_ACK;
  return undefined;
}
