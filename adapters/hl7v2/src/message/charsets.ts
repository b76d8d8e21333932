import iconv from 'iconv-lite';

import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';

/**
 * HL7 table 0211 (alternate character sets, MSH-18) onto iconv-lite encodings. Names that
 * need ISO 2022 code extension (`ISO IR87`, `ISO IR159`, `ISO IR14` used with escape
 * sequences) have no decoder in iconv-lite and are reported as unsupported.
 */
const TABLE_0211: Record<string, string> = {
  ASCII: 'ascii',
  'ISO IR6': 'ascii',
  '8859/1': 'iso-8859-1',
  'ISO IR100': 'iso-8859-1',
  '8859/2': 'iso-8859-2',
  '8859/3': 'iso-8859-3',
  '8859/4': 'iso-8859-4',
  '8859/5': 'iso-8859-5',
  '8859/6': 'iso-8859-6',
  '8859/7': 'iso-8859-7',
  '8859/8': 'iso-8859-8',
  '8859/9': 'iso-8859-9',
  '8859/15': 'iso-8859-15',
  'UNICODE UTF-8': 'utf-8',
  'UNICODE UTF-16': 'utf-16be',
  'UNICODE UTF-32': 'utf-32be',
  UNICODE: 'utf-16be',
  'BIG-5': 'big5',
  'GB 18030-2000': 'gb18030',
  'KS X 1001': 'euc-kr',
};

/** The names of table 0211 without an iconv-lite decoder. */
const UNSUPPORTED_0211 = new Set(['ISO IR87', 'ISO IR159', 'ISO IR14', 'CNS 11643-1992']);

/**
 * The iconv-lite encoding for an MSH-18 value (a table 0211 name, or an encoding name iconv-lite
 * knows, such as `UTF-8` or `windows-1252`, that some senders use). Throws a coded
 * {@link Hl7Error} (table 0357 `103`, AR) for anything else.
 */
export function encodingForCharset(charset: string): string {
  const name = charset.trim().toUpperCase();
  const mapped = TABLE_0211[name];
  if (mapped) return mapped;
  if (!UNSUPPORTED_0211.has(name) && iconv.encodingExists(name)) return name.toLowerCase();
  throw new Hl7Error(
    Hl7ErrorCode.UNSUPPORTED_CHARSET,
    'MSH-18 names a character set that is not supported.',
    { location: { segment: 'MSH', sequence: 1, field: 18 } },
  );
}

/** Decodes bytes with an iconv-lite encoding. */
export function decodeBytes(bytes: Buffer | Uint8Array, encoding: string): string {
  return iconv.decode(Buffer.from(bytes), encoding);
}

/** Encodes text with an iconv-lite encoding. */
export function encodeText(text: string, encoding: string): Buffer {
  return iconv.encode(text, encoding);
}

/**
 * The bytes to send for a message whose MSH-18 is `charset` (an ACK echoes the sender's MSH-18):
 * encoded with that character set, or UTF-8 when there is none.
 */
export function encodeForCharset(text: string, charset?: string): Buffer {
  return encodeText(text, charset ? encodingForCharset(charset) : 'utf-8');
}
