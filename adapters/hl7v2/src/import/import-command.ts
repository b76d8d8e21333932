import type { PluginCommand, PluginContext } from '@caregraph/plugin-sdk';
import { messageApplier } from '../apply/index.js';
import type { Hl7v2Config } from '../config.js';
import { MessageIntake } from '../pipeline/message-intake.js';
import {
  addCounts,
  emptyCounts,
  failedCount,
  importFile,
  listImportFiles,
  readImportFile,
  type ImportCounts,
} from './import-files.js';

/** `8 processed, 2 not mapped, 1 duplicate, 0 held, 1 error`. */
export function formatCounts(counts: ImportCounts): string {
  return [
    `${counts.processed} processed`,
    `${counts.notMapped} not mapped`,
    `${counts.duplicate} duplicate`,
    `${counts.held} held`,
    `${counts.error} error`,
  ].join(', ');
}

/**
 * `caregraph hl7 import <path>`: imports a file, or every `*.hl7`/`*.txt` file of a directory
 * (sorted), through the same intake as the MLLP listener. Prints a summary (and, per file, its
 * structural problems and failed messages; never message content); exit code 1 when a message
 * failed (error or held) or a file holds no message.
 */
export const importCommand: PluginCommand = {
  name: 'hl7 import',
  description:
    'import HL7 v2 messages from a file or a directory of *.hl7/*.txt files (batches included): the listener pipeline, deduplicated',
  arguments: [{ name: 'path', description: 'a file, or a directory of *.hl7 / *.txt files' }],
  async run(args, _options, ctx, io) {
    const context = ctx as PluginContext<Hl7v2Config>;
    const files = await listImportFiles(args.path!);
    let total = 0;
    for (const file of files) total += (await readImportFile(file)).messages.length;
    const intake = new MessageIntake(context, messageApplier());
    const counts = emptyCounts();
    let done = 0;
    let emptyFiles = 0;
    let aborted = false;
    io.progress(0, total);
    for (const file of files) {
      const result = await importFile(intake, file, {
        signal: io.signal,
        onMessage: () => io.progress(++done, total),
      });
      addCounts(counts, result.counts);
      for (const problem of result.problems) io.log(`${result.file}: ${problem.message}`);
      if (!result.messages && !result.aborted) emptyFiles++;
      const failed = failedCount(result.counts);
      if (failed)
        io.log(`${result.file}: ${failed} of ${result.messages} messages in the error queue`);
      if (result.aborted || io.signal.aborted) {
        aborted = true;
        break;
      }
    }
    io.log(
      `${aborted ? 'Interrupted after' : 'Imported'} ${done} of ${total} messages from ${files.length} files: ${formatCounts(counts)}.`,
    );
    if (failedCount(counts))
      io.log(
        'The failed messages are in the error queue: query integrationMessages(status: ERROR).',
      );
    return failedCount(counts) || emptyFiles || aborted ? 1 : 0;
  },
};
