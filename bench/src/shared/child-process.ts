import { fork, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/**
 * The parent and child halves of a benchmark process (a server target or a load client) that
 * runs in its own process, so the load and each server do not share an event loop. The child
 * reports `{ ready }` once it serves, answers requests `{ rid, type, body }` with
 * `{ rid, result }` or `{ rid, error }` (type `cpu`: its CPU time so far, µs), and stops on
 * the request `stop` or when the parent goes away.
 */

/** A forked benchmark process and what it reported when ready. */
export interface BenchChild<R> {
  name: string;
  child: ChildProcess;
  ready: R;
}

interface Reply {
  rid?: number;
  result?: unknown;
  error?: string;
}

let nextRequestId = 1;

/** Forks `module` and waits for its `{ ready }` report. */
export async function forkBenchChild<R>(
  name: string,
  module: URL,
  args: string[],
  execArgv: string[] = [],
  timeoutMs = 60_000,
): Promise<BenchChild<R>> {
  const child = fork(module, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<R>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const onMessage = (message: unknown) => {
      if (!message || typeof message !== 'object' || !('ready' in message)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolveReady((message as { ready: R }).ready);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
  return { name, child, ready };
}

/** Sends a request to a child and resolves with its result. */
export function requestChild<T>(target: BenchChild<unknown>, type: string, body?: unknown) {
  const rid = nextRequestId++;
  return new Promise<T>((resolveResult, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${target.name} exited with code ${code} during ${type}`));
    const onMessage = (message: unknown) => {
      const reply = message as Reply;
      if (reply?.rid !== rid) return;
      target.child.off('message', onMessage);
      target.child.off('exit', onExit);
      if (reply.error !== undefined) reject(new Error(`${target.name}: ${type}: ${reply.error}`));
      else resolveResult(reply.result as T);
    };
    target.child.on('message', onMessage);
    target.child.once('exit', onExit);
    target.child.send({ rid, type, body });
  });
}

/** The CPU time (user + system, µs) a child has used so far. */
export function childCpuMicros(target: BenchChild<unknown>): Promise<number> {
  return requestChild<number>(target, 'cpu');
}

/** Asks a child to stop and waits for it to exit (killed after 15 s). */
export async function stopBenchChild(target: BenchChild<unknown>): Promise<void> {
  if (target.child.exitCode !== null || target.child.signalCode !== null) return;
  const exited = new Promise<void>((done) => target.child.once('exit', () => done()));
  target.child.send({ type: 'stop' });
  const timer = setTimeout(() => target.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Request handlers of a child, by request type. */
export type ChildHandlers = Record<string, (body: unknown) => unknown>;

/**
 * The child half: reports `ready`, answers `cpu` and the given handlers, and runs `stop` (then
 * leaves) on the request `stop` or when the parent disconnects.
 */
export function serveBenchChild(
  ready: unknown,
  stop: () => Promise<void>,
  handlers: ChildHandlers = {},
): void {
  if (!process.send) throw new Error('a benchmark child runs under its run script (IPC)');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    const failsafe = setTimeout(() => process.exit(0), 10_000);
    failsafe.unref();
    await stop().catch(() => {});
    process.disconnect?.();
  };
  const all: ChildHandlers = {
    cpu: () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
    ...handlers,
  };
  process.on('message', (message: { rid?: number; type?: string; body?: unknown }) => {
    if (message?.type === 'stop') return void shutdown();
    const handler = message?.type ? all[message.type] : undefined;
    if (!handler || message.rid === undefined) return;
    Promise.resolve()
      .then(() => handler(message.body))
      .then(
        (result) => process.send?.({ rid: message.rid, result }),
        (error: unknown) =>
          process.send?.({
            rid: message.rid,
            error: errorText(error),
          }),
      );
  });
  process.on('disconnect', () => void shutdown().finally(() => process.exit(0)));
  process.send({ ready });
}

/** An error as a benchmark prints it: the stack when there is one. */
export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Runs a benchmark script's (or child's) `main`, printing the error and exiting 1 if it fails. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${errorText(error)}\n`);
    process.exit(1);
  });
}

/** Runs `main` (with `runMain`) when the module is the script node was started with. */
export function runIfMain(moduleUrl: string, main: () => Promise<void>): void {
  if (moduleUrl === pathToFileURL(process.argv[1] ?? '').href) runMain(main);
}

/**
 * A run script's body: `work` (false or a throw means the run failed: its error is printed),
 * then always `cleanup`; sets the exit code.
 */
export async function runThenCleanUp(
  work: () => Promise<boolean>,
  cleanup: () => Promise<void>,
): Promise<void> {
  let ok = false;
  try {
    ok = await work();
  } catch (error) {
    process.stderr.write(`${errorText(error)}\n`);
  } finally {
    await cleanup();
  }
  process.exitCode = ok ? 0 : 1;
}
