import { decodeBytes, encodeText } from './charsets.js';
import type { Delimiters } from './types.js';

/** Formatting commands of FT values that carry no text: dropped when decoding. */
const DROPPED_FORMATTING = /^\.(fi|nf|ce|in[+-]?\d*|ti[+-]?\d*|sk[+-]?\d*)$/;

/**
 * Decodes the HL7 escape sequences of one leaf value (a component or sub-component, already
 * split on delimiters): `\F\ \S\ \T\ \R\ \E\` (the delimiters), `\P\` (v2.7 truncation
 * character), `\Xhh…\` (bytes, decoded with `encoding`), `\.br\` and `\.sp\` (newline),
 * `\H\ \N\` and the other formatting commands (dropped). Unknown or unclosed sequences
 * (`\Cxxyy\`, `\Zxx\`…) are kept as they were sent, so nothing is lost.
 */
export function decodeEscapes(value: string, delimiters: Delimiters, encoding = 'utf-8'): string {
  const esc = delimiters.escape;
  let start = value.indexOf(esc);
  if (start < 0) return value;
  let out = '';
  let last = 0;
  while (start >= 0) {
    const end = value.indexOf(esc, start + 1);
    if (end < 0) break;
    const body = value.slice(start + 1, end);
    const decoded = decodeSequence(body, delimiters, encoding);
    if (decoded === undefined) {
      // Not a sequence we know: keep it as it was sent.
      out += value.slice(last, end + 1);
      last = end + 1;
      start = value.indexOf(esc, last);
      continue;
    }
    out += value.slice(last, start) + decoded;
    last = end + 1;
    start = value.indexOf(esc, last);
  }
  return out + value.slice(last);
}

function decodeSequence(body: string, d: Delimiters, encoding: string): string | undefined {
  switch (body) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation ?? '#';
    case 'H':
    case 'N':
      return '';
    case '.br':
      return '\n';
    case '':
      return undefined;
  }
  if (body[0] === 'X') return decodeHex(body.slice(1), encoding);
  if (body.startsWith('.sp')) {
    const n = body.length > 3 ? Number(body.slice(3).replace('+', '')) : 1;
    return Number.isInteger(n) && n >= 0 && n <= 100 ? '\n'.repeat(n) : undefined;
  }
  if (DROPPED_FORMATTING.test(body)) return '';
  return undefined;
}

function decodeHex(hex: string, encoding: string): string | undefined {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  return decodeBytes(Buffer.from(hex, 'hex'), encoding);
}

/**
 * Encodes a value for the writer (the inverse of {@link decodeEscapes}): the delimiters and the
 * escape character become `\F\ \S\ \T\ \R\ \E\` (and `\P\` for the truncation character when the
 * delimiters have one), a newline `\.br\`, and other control characters `\Xhh\` (a CR in a
 * value would otherwise end the segment).
 */
export function encodeEscapes(value: string, delimiters: Delimiters, encoding = 'utf-8'): string {
  if (!needsEscaping(value, delimiters)) return value;
  const d = delimiters;
  let out = '';
  for (const ch of value) {
    if (ch === d.escape) out += `${d.escape}E${d.escape}`;
    else if (ch === d.field) out += `${d.escape}F${d.escape}`;
    else if (ch === d.component) out += `${d.escape}S${d.escape}`;
    else if (ch === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (ch === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (d.truncation !== undefined && ch === d.truncation) out += `${d.escape}P${d.escape}`;
    else if (ch === '\n') out += `${d.escape}.br${d.escape}`;
    else if (ch < ' ' && ch !== '\t')
      out += `${d.escape}X${encodeText(ch, encoding).toString('hex').toUpperCase()}${d.escape}`;
    else out += ch;
  }
  return out;
}

function needsEscaping(value: string, d: Delimiters): boolean {
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (
      ch === d.escape ||
      ch === d.field ||
      ch === d.component ||
      ch === d.subcomponent ||
      ch === d.repetition ||
      ch === d.truncation ||
      (ch < ' ' && ch !== '\t')
    )
      return true;
  }
  return false;
}
