import type { PluginCommandIo } from '@caregraph/plugin-sdk';

/** Where a command's output goes (the process streams; tests pass their own). */
export interface CommandStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
}

/** A plugin command's io, and `finish` to end the progress display. */
export interface CommandIo extends PluginCommandIo {
  finish(): void;
}

/** Redraws of the bar at most this often; plain lines at most this often. */
const BAR_EVERY_MS = 100;
const LINE_EVERY_MS = 2000;

function bar(done: number, total: number, columns: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const counts = ` ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total}`;
  const width = Math.max(10, Math.min(40, columns - counts.length - 3));
  const filled = Math.round(ratio * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${counts}`;
}

/**
 * The io of a plugin command: log lines on stdout; progress on stderr as a bar redrawn in place
 * when stderr is a terminal, else as a plain `progress: done/total` line every 2 s (and at the
 * end), so logs of a scheduled run stay readable. A log line clears the bar and it is redrawn
 * under it. A small hand-written bar: progress libraries draw on one stream and cannot
 * interleave another stream's lines with it.
 */
export function createCommandIo(streams: CommandStreams, signal: AbortSignal): CommandIo {
  const tty = Boolean(streams.stderr.isTTY);
  let last: { done: number; total: number } | undefined;
  let drawnAt = 0;
  let drawn = false;
  let finished = false;
  let printed: { done: number; total: number } | undefined;
  const draw = () => {
    if (!last) return;
    streams.stderr.write(`\r\x1b[2K${bar(last.done, last.total, streams.stderr.columns ?? 80)}`);
    drawn = true;
    drawnAt = Date.now();
  };
  const clear = () => {
    if (drawn) streams.stderr.write('\r\x1b[2K');
    drawn = false;
  };
  const line = () => {
    if (!last || (printed?.done === last.done && printed.total === last.total)) return;
    streams.stderr.write(`progress: ${last.done}/${last.total}\n`);
    printed = last;
    drawnAt = Date.now();
  };
  return {
    signal,
    progress(done, total) {
      last = { done, total };
      const end = done >= total;
      const due = Date.now() - drawnAt >= (tty ? BAR_EVERY_MS : LINE_EVERY_MS);
      if (!end && !due) return;
      if (tty) draw();
      else line();
    },
    log(text) {
      if (tty && drawn) {
        clear();
        streams.stdout.write(`${text}\n`);
        draw();
      } else streams.stdout.write(`${text}\n`);
    },
    finish() {
      if (finished) return;
      finished = true;
      if (tty) {
        if (last) draw();
        if (drawn) streams.stderr.write('\n');
        drawn = false;
      } else line();
    },
  };
}
