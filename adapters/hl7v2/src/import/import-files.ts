import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { splitBatch, type BatchProblem } from '../message/batch.js';
import type { MessageIntake } from '../pipeline/message-intake.js';
import { IntegrationMessageStatus } from '../store/integration-message-status.js';

/** The channel file imports are stored under (`IntegrationMessage.channel`). */
export const FILE_CHANNEL = 'file';

/** File name endings imported from a directory (case-insensitive). */
export const IMPORT_EXTENSIONS: readonly string[] = ['.hl7', '.txt'];

/** A path to import is missing, unreadable or holds no files to import. */
export class Hl7ImportError extends Error {
  readonly code = 'CG_ERR_HL7_IMPORT_PATH';
  constructor(message: string) {
    super(message);
    this.name = 'Hl7ImportError';
  }
}

/** How many messages of an import ended how. */
export interface ImportCounts {
  processed: number;
  notMapped: number;
  duplicate: number;
  /** Held behind an earlier message of the same patient in the error queue. */
  held: number;
  error: number;
}

/** What importing one file did. Names the file and lines, never message content. */
export interface FileImport {
  file: string;
  /** Messages sent through the intake (all of the file's unless the import was aborted). */
  messages: number;
  counts: ImportCounts;
  /** The file's structural problems (batch counts, stray lines), and "no messages". */
  problems: BatchProblem[];
  /** Whether the import stopped (signal) before the file's last message. */
  aborted: boolean;
}

/** Zero counts. */
export function emptyCounts(): ImportCounts {
  return { processed: 0, notMapped: 0, duplicate: 0, held: 0, error: 0 };
}

/** Adds `b` into `a`. */
export function addCounts(a: ImportCounts, b: ImportCounts): void {
  for (const key of Object.keys(a) as (keyof ImportCounts)[]) a[key] += b[key];
}

/** Messages that were not applied and sit in the error queue (errors and held ones). */
export function failedCount(counts: ImportCounts): number {
  return counts.error + counts.held;
}

/** Whether a file name is one a directory import or the watched folder takes. */
export function isImportFile(name: string): boolean {
  return !name.startsWith('.') && IMPORT_EXTENSIONS.includes(extname(name).toLowerCase());
}

/**
 * The files to import from `path`: the file itself, or every `*.hl7`/`*.txt` file of the
 * directory (not its subdirectories), sorted by name.
 */
export async function listImportFiles(path: string): Promise<string[]> {
  const target = resolve(path);
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new Hl7ImportError(`${path} does not exist or cannot be read.`);
  if (info.isFile()) return [target];
  if (!info.isDirectory()) throw new Hl7ImportError(`${path} is neither a file nor a directory.`);
  const entries = await readdir(target, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isImportFile(entry.name))
    .map((entry) => entry.name)
    .sort();
  if (!files.length)
    throw new Hl7ImportError(`${path} holds no ${IMPORT_EXTENSIONS.join(' or ')} files.`);
  return files.map((name) => join(target, name));
}

/** A file's messages (as `splitBatch` finds them) and its structural problems. */
export async function readImportFile(
  file: string,
): Promise<{ messages: string[]; problems: BatchProblem[] }> {
  const { messages, problems } = splitBatch(await readFile(file));
  if (!messages.length)
    problems.push({ code: 'STRAY_TEXT', message: 'the file holds no HL7 message (no MSH).' });
  return { messages, problems };
}

function countStatus(counts: ImportCounts, status: IntegrationMessageStatus): void {
  switch (status) {
    case IntegrationMessageStatus.PROCESSED:
      counts.processed++;
      break;
    case IntegrationMessageStatus.NOT_MAPPED:
      counts.notMapped++;
      break;
    case IntegrationMessageStatus.DUPLICATE:
      counts.duplicate++;
      break;
    case IntegrationMessageStatus.HELD:
      counts.held++;
      break;
    default:
      counts.error++;
  }
}

/**
 * Sends each message of a file through the intake, in file order, as the MLLP listener does
 * (stored, deduplicated, applied, error queue). Throws when a message cannot be stored (the
 * database is unreachable): what was stored stays stored, and importing the file again is safe
 * (the stored messages come back as duplicates).
 */
export async function importFile(
  intake: MessageIntake,
  file: string,
  options: { signal?: AbortSignal; onMessage?: () => void } = {},
): Promise<FileImport> {
  const { messages, problems } = await readImportFile(file);
  const result: FileImport = {
    file: basename(file),
    messages: 0,
    counts: emptyCounts(),
    problems,
    aborted: false,
  };
  for (const message of messages) {
    if (options.signal?.aborted) {
      result.aborted = true;
      break;
    }
    const { status } = await intake.accept(message, FILE_CHANNEL);
    countStatus(result.counts, status);
    result.messages++;
    options.onMessage?.();
  }
  return result;
}
