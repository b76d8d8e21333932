import { createCommandIo, type CommandStreams } from './command-io.js';

/** Streams that keep what is written (a terminal when `tty`). */
function capture(tty: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const streams: CommandStreams = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text), isTTY: tty, columns: 60 },
  };
  return { streams, out, err };
}

describe('plugin command io (issue "caregraph hl7 import")', () => {
  it('draws a bar in place on a terminal, clearing it around log lines', () => {
    const { streams, out, err } = capture(true);
    const io = createCommandIo(streams, new AbortController().signal);
    io.progress(0, 4);
    io.log('a.hl7: 1 of 2 messages in the error queue');
    io.progress(4, 4);
    io.finish();
    const clearLine = '\r\u001b[2K';
    expect(err[0]!.startsWith(clearLine)).toBe(true);
    expect(err[0]!.slice(clearLine.length)).toMatch(/^\[░+\]\s+0% 0\/4$/);
    // The bar is cleared, the line printed on stdout, the bar drawn again.
    expect(err[1]).toBe(clearLine);
    expect(out).toEqual(['a.hl7: 1 of 2 messages in the error queue\n']);
    expect(err[2]).toMatch(/0% 0\/4$/);
    expect(err.some((text) => /\[█+\] 100% 4\/4$/.test(text))).toBe(true);
    expect(err.at(-1)).toBe('\n');
  });

  it('prints plain progress lines when stderr is not a terminal, and the last one once', () => {
    const { streams, out, err } = capture(false);
    const io = createCommandIo(streams, new AbortController().signal);
    io.progress(0, 3);
    io.progress(1, 3); // within 2 s of the last line: not printed
    io.progress(3, 3);
    io.log('done');
    io.finish();
    expect(err).toEqual(['progress: 0/3\n', 'progress: 3/3\n']);
    expect(out).toEqual(['done\n']);
  });

  it('passes the abort signal through', () => {
    const abort = new AbortController();
    const io = createCommandIo(capture(false).streams, abort.signal);
    abort.abort();
    expect(io.signal.aborted).toBe(true);
  });
});
