import { decodeInput } from './decode-input.js';
import { readDelimiters } from './delimiters.js';
import { readHeader } from './header.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import { ParsedMessage } from './parsed-message.js';
import { ParsedSegment, type SegmentContext } from './segment.js';

/** Options of {@link parseMessage}. */
export interface ParseMessageOptions {
  /**
   * Character set (an MSH-18 name such as `8859/1`, or an iconv-lite encoding) for bytes whose
   * MSH-18 is empty. Default: UTF-8, which reads ASCII (the HL7 default) unchanged.
   */
  defaultCharset?: string;
}

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;
const BATCH_SEGMENTS = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

/**
 * Parses one HL7 v2 message (versions 2.1 to 2.8). Accepts MLLP framing and a BOM, CR, LF or
 * CRLF segment endings and blank lines; reads the delimiters from MSH-1/MSH-2 (with the v2.7
 * truncation character); decodes bytes per MSH-18. Unknown and Z-segments are kept. Values are
 * decoded when read through `get`/`repetitions`.
 *
 * Throws {@link Hl7Error} (never another error) when the input is not one readable message:
 * no MSH, unreadable delimiters, MSH-9/10/12 missing, an unsupported version or character set,
 * a line that is not a segment, or batch segments / a second MSH (use `splitBatch`).
 */
export function parseMessage(
  input: Buffer | string,
  options: ParseMessageOptions = {},
): ParsedMessage {
  const { text: decoded, encoding } = decodeInput(input, options.defaultCharset);
  const lines = splitLines(decoded);
  const first = lines[0];
  if (first === undefined || !first.startsWith('MSH')) {
    const batch = first !== undefined && BATCH_SEGMENTS.has(first.slice(0, 3));
    throw new Hl7Error(
      batch ? Hl7ErrorCode.SEGMENT_SEQUENCE : Hl7ErrorCode.MISSING_MSH,
      batch
        ? 'The input is a batch (FHS/BHS): split it with splitBatch first.'
        : 'The message does not start with an MSH segment.',
      { location: { segment: batch ? first.slice(0, 3) : 'MSH', sequence: 1 }, ackCode: 'AR' },
    );
  }
  const delimiters = readDelimiters(first);
  const ctx: SegmentContext = { delimiters, encoding };
  const segments: ParsedSegment[] = [new ParsedSegment(first, 0, ctx)];
  const header = readHeader(segments[0]!);
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const name = line.slice(0, 3);
    if (!SEGMENT_NAME.test(name) || (line.length > 3 && line[3] !== delimiters.field)) {
      throw new Hl7Error(
        Hl7ErrorCode.SEGMENT_SEQUENCE,
        `Segment ${i + 1} of the message is not a segment (a segment starts with a three-character id and the field separator).`,
      );
    }
    if (name === 'MSH' || BATCH_SEGMENTS.has(name)) {
      throw new Hl7Error(
        Hl7ErrorCode.SEGMENT_SEQUENCE,
        `Segment ${i + 1} is ${name}: several messages or a batch; split them with splitBatch first.`,
        { location: { segment: name, sequence: name === 'MSH' ? 2 : 1 } },
      );
    }
    const occurrence = (seen.get(name) ?? 0) + 1;
    seen.set(name, occurrence);
    segments.push(new ParsedSegment(line, i, ctx, occurrence));
  }
  return new ParsedMessage({
    delimiters,
    header,
    segments,
    text: lines.join('\r'),
    encoding,
  });
}

/** Splits on CR, LF or CRLF and drops blank lines. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.length > 0 && line.trim() !== '') out.push(line);
  }
  return out;
}
