import { copyFile, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PluginContext } from '@caregraph/plugin-sdk';
import { messageApplier } from '../apply/index.js';
import type { Hl7v2Config } from '../config.js';
import { MessageIntake } from '../pipeline/message-intake.js';
import { failedCount, importFile, isImportFile } from './import-files.js';

/** The watched folder's settings, with the defaults applied. */
export interface WatchSettings {
  dir: string;
  intervalSeconds: number;
  doneDir: string;
  errorDir: string;
}

/** The config's `watch`, with `doneDir` and `errorDir` defaulting to `<dir>/done` and `<dir>/error`. */
export function watchSettings(watch: NonNullable<Hl7v2Config['watch']>): WatchSettings {
  const dir = resolve(watch.dir);
  return {
    dir,
    intervalSeconds: watch.intervalSeconds,
    doneDir: resolve(watch.doneDir ?? join(dir, 'done')),
    errorDir: resolve(watch.errorDir ?? join(dir, 'error')),
  };
}

/** A running watched folder. */
export interface RunningWatcher {
  /** Why the last poll failed (the folder is gone, a message could not be stored), if it did. */
  problem(): string | undefined;
  /** Stops polling; resolves once the file being imported has stopped (it stays in the folder). */
  close(): Promise<void>;
}

/** Moves a file into `dir` under its name (or `name.<time>.ext` when that is taken). */
async function moveInto(file: string, dir: string): Promise<void> {
  const name = basename(file);
  let target = join(dir, name);
  if (await stat(target).catch(() => undefined)) {
    const ext = extname(name);
    target = join(dir, `${name.slice(0, name.length - ext.length)}.${Date.now()}${ext}`);
  }
  try {
    await rename(file, target);
  } catch (error) {
    // Another file system: copy, then remove.
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(file, target);
    await unlink(file);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Polls a folder every `intervalSeconds` and imports each `*.hl7`/`*.txt` file once it is
 * stable (the same size and modification time on two polls in a row, so a file still being
 * written is left alone), through the same intake as the listener. A file whose messages all
 * went through moves to `doneDir`; one with a failed message (error or held) or no message at
 * all moves to `errorDir`. When a message cannot be stored (the database is down) the file stays
 * and is imported again on a later poll: what was stored then comes back as duplicates. Stops
 * with `ctx.signal` or `close`.
 */
export async function startFolderWatcher(
  ctx: PluginContext<Hl7v2Config>,
  settings: WatchSettings,
): Promise<RunningWatcher> {
  await Promise.all(
    [settings.doneDir, settings.errorDir].map((d) => mkdir(d, { recursive: true })),
  );
  const intake = new MessageIntake(ctx, messageApplier());
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const seen = new Map<string, string>();
  let problem: string | undefined;

  const importOne = async (file: string) => {
    const result = await importFile(intake, file, { signal });
    if (result.aborted) return;
    const failed = failedCount(result.counts) > 0 || result.messages === 0;
    await moveInto(file, failed ? settings.errorDir : settings.doneDir);
    ctx.metrics.increment('files_imported_total', 1, { result: failed ? 'error' : 'done' });
    ctx.logger[failed ? 'warn' : 'info'](
      { file: result.file, messages: result.messages, ...result.counts, problems: result.problems },
      failed ? 'HL7 file imported with failures: moved to the error folder' : 'HL7 file imported',
    );
  };

  const poll = async () => {
    const entries = await readdir(settings.dir, { withFileTypes: true });
    const present = new Set<string>();
    for (const entry of entries) {
      if (signal.aborted) return;
      if (!entry.isFile() || !isImportFile(entry.name)) continue;
      const file = join(settings.dir, entry.name);
      const info = await stat(file).catch(() => undefined);
      if (!info) continue;
      present.add(file);
      const mark = `${info.size}:${info.mtimeMs}`;
      if (seen.get(file) !== mark) {
        seen.set(file, mark);
        continue;
      }
      seen.delete(file);
      await importOne(file);
    }
    for (const file of seen.keys()) if (!present.has(file)) seen.delete(file);
  };

  const loop = (async () => {
    while (!signal.aborted) {
      try {
        await poll();
        problem = undefined;
      } catch (error) {
        // /health shows it: a code, not the message (it can name paths).
        const code = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.name ?? 'error';
        problem = `the watched folder's last poll failed (${code}); see the logs`;
        ctx.logger.error({ err: { message: messageOf(error) } }, 'HL7 watched folder poll failed');
      }
      await sleep(settings.intervalSeconds * 1000, undefined, { signal }).catch(() => undefined);
    }
  })();
  ctx.logger.info(
    { dir: settings.dir, intervalSeconds: settings.intervalSeconds },
    'HL7 watched folder started',
  );
  return {
    problem: () => problem,
    async close() {
      stop.abort();
      await loop;
    },
  };
}
