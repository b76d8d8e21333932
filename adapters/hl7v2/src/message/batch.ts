import { decodeInput, unframeText } from './decode-input.js';
import { readDelimiters } from './delimiters.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import type { Delimiters } from './types.js';

/** The header of a batch file (FHS) or batch (BHS): fields 3 to 12, as sent (escapes kept). */
export interface BatchHeader {
  segment: 'FHS' | 'BHS';
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  dateTime?: string;
  /** FHS-9 file name / BHS-9 batch name, id, type. */
  name?: string;
  controlId?: string;
  referenceControlId?: string;
}

/** One BHS … BTS batch (or the messages outside any batch). */
export interface BatchInfo {
  header?: BatchHeader;
  messageCount: number;
  /** BTS-1, when the batch has a trailer with a count. */
  declaredCount?: number;
}

/** Something wrong with the file's structure. Names lines, never their content (no PHI). */
export interface BatchProblem {
  code: 'COUNT_MISMATCH' | 'STRAY_TEXT' | 'MISSING_TRAILER' | 'UNEXPECTED_SEGMENT';
  message: string;
  /** 1-based line of the (decoded) input. */
  line?: number;
}

/** What {@link splitBatch} found. */
export interface BatchSplit {
  /** Each message's text, segments joined with `\r`, in file order. */
  messages: string[];
  /** FHS when there is one, else the first BHS. */
  header?: BatchHeader;
  /** FHS-1/FHS-2 (or BHS-1/BHS-2) of the first batch header, when readable: how to answer it. */
  headerDelimiters?: Delimiters;
  /** The sum of the BTS-1 counts, when any BTS carries one. */
  declaredCount?: number;
  /** FTS-1 (the number of batches), when present. */
  declaredBatchCount?: number;
  batches: BatchInfo[];
  /** Count mismatches, missing trailers, text outside messages. Empty for a well-formed file. */
  problems: BatchProblem[];
  /** The iconv-lite encoding bytes were decoded with. */
  encoding: string;
}

/** Options of {@link splitBatch}. */
export interface SplitBatchOptions {
  defaultCharset?: string;
  /** Throw an {@link Hl7Error} (`HL7_ERR_BATCH_STRUCTURE`, AR) on the first problem instead of reporting it. */
  strict?: boolean;
}

const SEGMENT_START = /^[A-Z][A-Z0-9]{2}(?:[^A-Za-z0-9\s]|$)/;

/**
 * Splits an HL7 batch file (`FHS`/`BHS` … `BTS`/`FTS`) or plain concatenated messages (several
 * MSH, MLLP dumps included) into message texts. BTS-1 and FTS-1 counts are checked; a mismatch,
 * a missing trailer, or text outside any message (a blank line ends a message: prose after it
 * is reported, not glued onto the message) is listed in `problems`, or thrown with `strict`.
 * Messages are not parsed: give each to `parseMessage`.
 */
export function splitBatch(input: Buffer | string, options: SplitBatchOptions = {}): BatchSplit {
  const { text, encoding } = decodeInput(input, options.defaultCharset);
  const result: BatchSplit = { messages: [], batches: [], problems: [], encoding };
  const report = (problem: BatchProblem): void => {
    if (options.strict) {
      throw new Hl7Error(Hl7ErrorCode.BATCH_STRUCTURE, `Batch file: ${problem.message}`);
    }
    result.problems.push(problem);
  };
  let current: string[] | undefined;
  let afterBlank = false;
  let batch: BatchInfo | undefined;
  let fileHeader = false;
  let fileTrailer = false;
  let loose: BatchInfo | undefined;
  const flush = (): void => {
    if (!current) return;
    result.messages.push(current.join('\r'));
    current = undefined;
    if (batch) batch.messageCount++;
    else {
      if (!loose) result.batches.push((loose = { messageCount: 0 }));
      loose.messageCount++;
    }
  };
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = stripFraming(lines[i]!);
    const lineNo = i + 1;
    if (line.trim() === '') {
      afterBlank = true;
      continue;
    }
    const segment = SEGMENT_START.test(line) ? line.slice(0, 3) : undefined;
    switch (segment) {
      case 'FHS':
        flush();
        if (fileHeader || result.messages.length > 0) {
          report({
            code: 'UNEXPECTED_SEGMENT',
            message: `FHS not at the start (line ${lineNo}).`,
            line: lineNo,
          });
        }
        fileHeader = true;
        result.header = readBatchHeader(line, 'FHS');
        result.headerDelimiters ??= headerDelimiters(line, 'FHS');
        break;
      case 'BHS':
        flush();
        if (batch) {
          report({
            code: 'MISSING_TRAILER',
            message: `batch without BTS before line ${lineNo}.`,
            line: lineNo,
          });
        }
        batch = { header: readBatchHeader(line, 'BHS'), messageCount: 0 };
        result.batches.push(batch);
        result.header ??= batch.header;
        result.headerDelimiters ??= headerDelimiters(line, 'BHS');
        loose = undefined;
        break;
      case 'BTS': {
        flush();
        const closing = batch ?? loose ?? { messageCount: 0 };
        if (!batch && !loose) result.batches.push(closing);
        const declared = countField(line);
        if (declared !== undefined) {
          closing.declaredCount = declared;
          result.declaredCount = (result.declaredCount ?? 0) + declared;
          if (declared !== closing.messageCount) {
            report({
              code: 'COUNT_MISMATCH',
              message: `BTS-1 declares ${declared} messages, the batch has ${closing.messageCount} (line ${lineNo}).`,
              line: lineNo,
            });
          }
        }
        batch = undefined;
        loose = undefined;
        break;
      }
      case 'FTS': {
        flush();
        if (batch) {
          report({
            code: 'MISSING_TRAILER',
            message: `batch without BTS before line ${lineNo}.`,
            line: lineNo,
          });
          batch = undefined;
        }
        fileTrailer = true;
        const declared = countField(line);
        if (declared !== undefined) {
          result.declaredBatchCount = declared;
          if (declared !== result.batches.length) {
            report({
              code: 'COUNT_MISMATCH',
              message: `FTS-1 declares ${declared} batches, the file has ${result.batches.length} (line ${lineNo}).`,
              line: lineNo,
            });
          }
        }
        break;
      }
      case 'MSH':
        flush();
        current = [line];
        afterBlank = false;
        break;
      default:
        if (current && (!afterBlank || segment !== undefined)) {
          current.push(line);
          afterBlank = false;
        } else {
          report({
            code: 'STRAY_TEXT',
            message: `line ${lineNo} is outside any message.`,
            line: lineNo,
          });
        }
    }
  }
  flush();
  if (batch) report({ code: 'MISSING_TRAILER', message: 'the last batch has no BTS.' });
  if (fileHeader && !fileTrailer)
    report({ code: 'MISSING_TRAILER', message: 'the file has no FTS.' });
  return result;
}

const BATCH_START = /^(?:FHS|BHS)[^A-Za-z0-9\s]/;

/**
 * Whether `input` is a batch (FHS or BHS first, after MLLP framing, a byte order mark and blank
 * lines): one for {@link splitBatch}, not `parseMessage`. Reads only the first bytes.
 */
export function isBatchInput(input: Buffer | string): boolean {
  const head =
    typeof input === 'string'
      ? unframeText(input.slice(0, 64))
      : decodeInput(input.subarray(0, 64)).text;
  return BATCH_START.test(head.trimStart());
}

function headerDelimiters(line: string, segment: 'FHS' | 'BHS'): Delimiters | undefined {
  try {
    return readDelimiters(line, segment);
  } catch {
    return undefined;
  }
}

/** BTS-1 / FTS-1 as a count, when it is one. */
function countField(line: string): number | undefined {
  const value = line.split(line[3] ?? '|')[1]?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

function readBatchHeader(line: string, segment: 'FHS' | 'BHS'): BatchHeader {
  const sep = line[3] ?? '|';
  const parts = line.split(sep);
  const component = parts[1]?.[0] ?? '^';
  // parts[n - 1] is field n (FHS-1 is the separator itself).
  const field = (n: number, whole = false): string | undefined => {
    const raw = parts[n - 1];
    const value = whole ? raw : raw?.split(component)[0];
    return value ? value : undefined;
  };
  const header: BatchHeader = { segment };
  const keys: [keyof Omit<BatchHeader, 'segment'>, number, boolean][] = [
    ['sendingApplication', 3, false],
    ['sendingFacility', 4, false],
    ['receivingApplication', 5, false],
    ['receivingFacility', 6, false],
    ['dateTime', 7, false],
    ['name', 9, true],
    ['controlId', 11, false],
    ['referenceControlId', 12, false],
  ];
  for (const [key, n, whole] of keys) {
    const value = field(n, whole);
    if (value !== undefined) header[key] = value;
  }
  return header;
}

/** Removes MLLP start/end characters (VT, FS) around a line of an MLLP dump. */
function stripFraming(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && (line[start] === '\u000b' || line[start] === '\u001c')) start++;
  while (end > start && (line[end - 1] === '\u000b' || line[end - 1] === '\u001c')) end--;
  return start === 0 && end === line.length ? line : line.slice(start, end);
}
