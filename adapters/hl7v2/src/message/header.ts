import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import type { ParsedSegment } from './segment.js';
import type { MessageHeader } from './types.js';

/** HL7 versions this layer reads: 2.1 to 2.8 and their point releases (2.3.1, 2.5.1, 2.8.2). */
export const SUPPORTED_VERSION = /^2\.[1-8](?:\.\d{1,2})?$/;

/** `true` when `version` (MSH-12.1) is one this layer reads. */
export function isSupportedVersion(version: string): boolean {
  return SUPPORTED_VERSION.test(version);
}

const msh = (field: number) => ({ segment: 'MSH', sequence: 1, field });

/**
 * Reads the header fields every stage needs. Throws a coded {@link Hl7Error} (AR) when MSH-9.1,
 * MSH-10 or MSH-12 is missing, or the version is not 2.1–2.8.
 */
export function readHeader(segment: ParsedSegment): MessageHeader {
  const text = (field: number, component = 1): string | undefined => {
    const value = segment.value(field, 1, component);
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  };
  const messageCode = text(9);
  if (!messageCode) throw Hl7Error.requiredField(msh(9), 'message type');
  const controlId = text(10);
  if (!controlId) throw Hl7Error.requiredField(msh(10), 'message control id');
  const version = text(12);
  if (!version) throw Hl7Error.requiredField(msh(12), 'version id');
  if (!isSupportedVersion(version)) {
    throw new Hl7Error(
      Hl7ErrorCode.UNSUPPORTED_VERSION,
      'Unsupported version: MSH-12 must be 2.1 to 2.8.',
      { location: msh(12) },
    );
  }
  const header: MessageHeader = { messageCode, controlId, version };
  const optional: [keyof MessageHeader, number, number][] = [
    ['sendingApplication', 3, 1],
    ['sendingFacility', 4, 1],
    ['receivingApplication', 5, 1],
    ['receivingFacility', 6, 1],
    ['dateTime', 7, 1],
    ['triggerEvent', 9, 2],
    ['messageStructure', 9, 3],
    ['processingId', 11, 1],
    ['acceptAckType', 15, 1],
    ['applicationAckType', 16, 1],
    ['characterSet', 18, 1],
  ];
  for (const [key, field, component] of optional) {
    const value = text(field, component);
    if (value !== undefined) header[key] = value;
  }
  return header;
}

/**
 * The sender key of a message, `MSH-3.1^MSH-4.1`: how the store, the per-sender hooks and
 * Provenance name a sending application and facility.
 */
export function senderKeyOf(message: { header: MessageHeader }): string {
  const { sendingApplication = '', sendingFacility = '' } = message.header;
  return `${sendingApplication}^${sendingFacility}`;
}

/**
 * The entry of a per-sender table for a message's sender. Keys, tried in this order:
 * `MSH-3^MSH-4` (first components), `MSH-3` alone, then `*` (every sender).
 */
export function forSender<T>(
  message: { header: MessageHeader },
  table: Readonly<Record<string, T>>,
): T | undefined {
  const own = (key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);
  return own(senderKeyOf(message)) ?? own(message.header.sendingApplication ?? '') ?? own('*');
}
