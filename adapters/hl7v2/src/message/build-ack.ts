import { randomBytes } from 'node:crypto';

import { Hl7ErrorCondition, type Hl7ConditionCode, type Hl7Error } from './hl7-error.js';
import { versionAtLeast } from './versions.js';
import { writeMessage, type WriterField, type WriterSegment } from './write-message.js';
import type { AckCode, Delimiters, ErrorLocation, Hl7Message, MessageHeader } from './types.js';

/** The error an ACK reports: an {@link Hl7Error}, or its parts. */
export type AckError =
  Hl7Error | { hl7Code: Hl7ConditionCode | string; message: string; location?: ErrorLocation };

/** Input of {@link buildAck}. */
export interface BuildAckInput {
  /** The header of the message acknowledged. */
  header: MessageHeader;
  /** The sender's delimiters: the ACK is written with them (truncation character included). */
  delimiters: Delimiters;
  code: AckCode;
  error?: AckError;
  /** MSA-3 (versions before 2.7, where it is not withdrawn) and ERR-8 (2.5+, with an error). */
  textMessage?: string;
  /** MSH-7 of the ACK. Default: now. */
  now?: Date;
  /** MSH-10 of the ACK. Default: a new random id of 20 characters (the MSH-10 length of v2.3/2.4). */
  controlId?: string;
  /** MSH-3 of the ACK (the hub's identity). Default: MSH-5 of the message. */
  sendingApplication?: string;
  /** MSH-4 of the ACK. Default: MSH-6 of the message. */
  sendingFacility?: string;
  /**
   * The parsed message, when there is one: MSH-3..6 are then echoed with all their components
   * (HD namespace^universal id^type), not only the first.
   */
  message?: Hl7Message;
}

/**
 * Builds an acknowledgement (general ACK) for a message, as text joined by `\r`.
 *
 * - MSH: sender and receiver swapped, MSH-7 now, MSH-9 `ACK` (v2.1), `ACK^<trigger>` (v2.2, 2.3),
 *   `ACK^<trigger>^ACK` (v2.3.1 on, where MSG has the message structure component), MSH-10 a new
 *   id, MSH-11 and MSH-12 and MSH-18 echoed; MSH-15/16 `NE` when the message used enhanced mode
 *   (an ACK is not acknowledged).
 * - MSA: code, the original MSH-10, MSA-3 text only before v2.7 (deprecated in 2.4, withdrawn in 2.7).
 * - ERR (with an error): from v2.5, ERR-2 (ERL `seg^seq^field^rep^comp`), ERR-3 (CWE
 *   `code^text^HL70357`), ERR-4 severity `E`, ERR-8 the text; before 2.5, ERR-1 (ELD
 *   `seg^seq^field^code&text&HL70357`).
 */
export function buildAck(input: BuildAckInput): string {
  const { header, delimiters } = input;
  const version = header.version;
  const raw = (field: number, fallback: string | undefined): WriterField => {
    const reps = input.message?.segment('MSH')?.repetitions(field);
    return reps && reps.length > 0 ? [reps[0]!] : fallback;
  };
  const enhanced = header.acceptAckType !== undefined || header.applicationAckType !== undefined;
  const msh: WriterField[] = [];
  msh[3] = input.sendingApplication ?? raw(5, header.receivingApplication);
  msh[4] = input.sendingFacility ?? raw(6, header.receivingFacility);
  msh[5] = raw(3, header.sendingApplication);
  msh[6] = raw(4, header.sendingFacility);
  msh[7] = formatTimestamp(input.now ?? new Date(), version);
  msh[9] = [ackMessageType(version, header.triggerEvent)];
  msh[10] = input.controlId ?? newControlId();
  msh[11] = header.processingId ?? 'P';
  msh[12] = version;
  if (enhanced) {
    msh[15] = 'NE';
    msh[16] = 'NE';
  }
  if (header.characterSet) msh[18] = header.characterSet;
  const text = input.textMessage ?? input.error?.message;
  const msa: WriterField[] = [input.code, header.controlId];
  if (text !== undefined && !versionAtLeast(version, '2.7')) msa[2] = text;
  const segments: WriterSegment[] = [
    ['MSH', ...fill(msh)],
    ['MSA', ...msa],
  ];
  if (input.error) segments.push(errSegment(input.error, version, input.textMessage));
  return writeMessage(segments, delimiters);
}

/** `fields[n]` is field n: drop index 0 (the name) so the spread lines up with the writer. */
function fill(fields: WriterField[]): WriterField[] {
  const out: WriterField[] = [];
  for (let i = 1; i < fields.length; i++) out.push(fields[i]);
  return out;
}

/** MSH-9 of an ACK for a version: see {@link buildAck}. */
export function ackMessageType(version: string, trigger: string | undefined): string[] {
  if (!versionAtLeast(version, '2.2')) return ['ACK'];
  if (!versionAtLeast(version, '2.3.1')) return trigger ? ['ACK', trigger] : ['ACK'];
  return ['ACK', trigger ?? '', 'ACK'];
}

function errSegment(error: AckError, version: string, textMessage?: string): WriterSegment {
  const code = String(error.hl7Code);
  const name = (Hl7ErrorCondition as Record<string, string>)[code] ?? 'Application internal error';
  const loc = error.location;
  if (versionAtLeast(version, '2.5')) {
    const erl: WriterField = loc
      ? [
          [
            loc.segment,
            String(loc.sequence ?? 1),
            loc.field === undefined ? undefined : String(loc.field),
            loc.field === undefined ? undefined : '1',
            loc.component === undefined ? undefined : String(loc.component),
          ],
        ]
      : undefined;
    const err: WriterField[] = [undefined, erl, [[code, name, 'HL70357']], 'E'];
    err[7] = textMessage ?? error.message;
    return ['ERR', ...err];
  }
  const eld: WriterField = [
    [
      loc?.segment,
      loc ? String(loc.sequence ?? 1) : undefined,
      loc?.field === undefined ? undefined : String(loc.field),
      [code, name, 'HL70357'],
    ],
  ];
  return ['ERR', eld];
}

/** HL7 TS/DTM in UTC: `YYYYMMDDHHMMSS+0000` (no offset in v2.1). */
export function formatTimestamp(date: Date, version = '2.5'): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const ts =
    p(date.getUTCFullYear(), 4) +
    p(date.getUTCMonth() + 1) +
    p(date.getUTCDate()) +
    p(date.getUTCHours()) +
    p(date.getUTCMinutes()) +
    p(date.getUTCSeconds());
  return versionAtLeast(version, '2.2') ? `${ts}+0000` : ts;
}

/** A new message control id: 20 characters (time and randomness), within every version's limit. */
export function newControlId(): string {
  const time = Date.now().toString(36).toUpperCase().padStart(9, '0');
  return time + randomBytes(6).toString('hex').toUpperCase().slice(0, 11);
}
