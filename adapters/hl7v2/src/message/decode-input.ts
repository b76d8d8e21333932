import { decodeBytes, encodingForCharset } from './charsets.js';

const VT = 0x0b;
const FS = 0x1c;

/** The text of a message (or batch) with its framing removed, and the encoding it was read with. */
export interface DecodedInput {
  text: string;
  /** iconv-lite encoding used for the bytes and for `\Xhh\` sequences. */
  encoding: string;
}

/**
 * Removes MLLP framing (`0x0B` … `0x1C 0x0D`) and a byte order mark, then decodes bytes with
 * the character set of the first MSH-18 (HL7 table 0211), else `defaultCharset`, else UTF-8
 * (which reads ASCII, the HL7 default, unchanged). A UTF-8 BOM without MSH-18 means UTF-8;
 * a UTF-16 BOM means UTF-16. Strings are only unframed; their MSH-18 still selects how `\Xhh\`
 * bytes are decoded.
 */
export function decodeInput(input: Buffer | string, defaultCharset?: string): DecodedInput {
  if (typeof input === 'string') {
    const text = unframeText(input);
    const charset = findCharset(text);
    const fallback = defaultCharset ? encodingForCharset(defaultCharset) : 'utf-8';
    return { text, encoding: charset ? encodingForCharset(charset) : fallback };
  }
  let start = 0;
  let end = input.length;
  let bom: string | undefined;
  for (;;) {
    if (input[start] === VT) start++;
    else if (input[start] === 0xef && input[start + 1] === 0xbb && input[start + 2] === 0xbf) {
      bom = 'utf-8';
      start += 3;
    } else if (input[start] === 0xff && input[start + 1] === 0xfe) {
      bom = 'utf-16le';
      start += 2;
    } else if (input[start] === 0xfe && input[start + 1] === 0xff) {
      bom = 'utf-16be';
      start += 2;
    } else break;
    if (bom?.startsWith('utf-16')) break;
  }
  if (bom?.startsWith('utf-16')) {
    const text = unframeText(decodeBytes(input.subarray(start, end), bom));
    return { text, encoding: bom };
  }
  while (end > start && isTrailer(input[end - 1]!)) end--;
  const bytes = input.subarray(start, end);
  // MSH is ASCII in every ASCII-compatible character set: read MSH-18 from the bytes as latin1.
  const charset = findCharset(headerText(bytes));
  const encoding = charset
    ? encodingForCharset(charset)
    : bom
      ? bom
      : defaultCharset
        ? encodingForCharset(defaultCharset)
        : 'utf-8';
  return { text: decodeBytes(bytes, encoding), encoding };
}

function isTrailer(byte: number): boolean {
  return byte === FS || byte === 0x0d || byte === 0x0a || byte === 0;
}

/** Strips MLLP characters and a BOM from the ends of a string. */
export function unframeText(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '\u000b' || text[start] === '\ufeff')) start++;
  while (end > start && '\u001c\r\n\u0000'.includes(text[end - 1]!)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** The first MSH segment of some bytes, as latin1 (enough to read MSH-1..18). */
function headerText(bytes: Buffer): string {
  let at = bytes.indexOf('MSH');
  while (at > 0 && bytes[at - 1] !== 0x0d && bytes[at - 1] !== 0x0a && bytes[at - 1] !== VT) {
    at = bytes.indexOf('MSH', at + 1);
  }
  if (at < 0) return '';
  let end = at;
  while (end < bytes.length && bytes[end] !== 0x0d && bytes[end] !== 0x0a) end++;
  return bytes.toString('latin1', at, end);
}

/** MSH-18 (first repetition, first component) of the first MSH of `text`, if any. */
function findCharset(text: string): string | undefined {
  const at = text.startsWith('MSH') ? 0 : text.search(/(?:^|[\r\n])MSH/);
  if (at < 0) return undefined;
  const from = text[at] === 'M' ? at : at + 1;
  let end = from;
  while (end < text.length && text[end] !== '\r' && text[end] !== '\n') end++;
  const line = text.slice(from, end);
  const sep = line[3];
  if (sep === undefined || line.length < 8) return undefined;
  const fields = line.split(sep);
  const value = fields[17];
  if (!value) return undefined;
  const enc = fields[1] ?? '';
  let first = value;
  for (const c of [enc[1], enc[0]]) if (c) first = first.split(c)[0]!;
  return first.trim() === '' ? undefined : first;
}
