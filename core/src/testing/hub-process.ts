import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm test` builds first): tests run it as operators and deployments do. */
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * Where CLI processes run: a folder without a `caregraph.config.*`, so that the repository's own
 * (the demo config at its root, with the HL7 adapter) is not loaded by core's tests.
 */
const NEUTRAL_CWD = tmpdir();

/** How long a hub process may take to print its banner. */
const START_TIMEOUT_MS = 60_000;
/** How long `stopHubProcess` waits after SIGTERM before it kills (the CLI gives up after 30 s). */
const STOP_TIMEOUT_MS = 45_000;

/**
 * Every CLI process this module spawned for the suite (jest loads the module once per test file),
 * and the signal that kills them. A test that times out keeps running after the suite ends: a hub
 * it starts then would outlive the suite and keep the jest worker from exiting.
 */
const running = new Set<ChildProcess>();
const suiteEnd = new AbortController();

function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    cwd: NEUTRAL_CWD,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Spawned after `killCliProcesses`, a process is killed at once (its 'error' is the abort).
    signal: suiteEnd.signal,
    killSignal: 'SIGKILL',
  });
  child.on('error', () => undefined);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * For a suite's `afterAll`: kills the CLI processes still running (a failed or timed-out test's
 * hub) and every one spawned from now on, and resolves once they have exited.
 */
export async function killCliProcesses(): Promise<void> {
  const exits = [...running].map(killHubProcess);
  suiteEnd.abort();
  await Promise.all(exits);
}

/** Runs one CLI command to completion. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A hub running as its own process (`caregraph serve --port 0`). */
export interface HubProcess {
  child: ChildProcess;
  /** The GraphQL URL from its banner. */
  url: string;
  banner: string;
}

/** Starts `caregraph serve` and resolves once its banner is printed (it is then ready). */
export function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(['serve', '--port', '0'], env);
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not start:\n${out}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /GraphQL \(HTTP and WebSocket subscriptions\): (\S+)/.exec(out);
      if (match && out.includes('More: npx caregraph token')) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, banner: out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}:\n${out}`));
    });
  });
}

/** Sends SIGTERM and resolves with the exit code (killing the process if it does not exit). */
export async function stopHubProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) throw new Error(`hub already exited with ${child.exitCode}`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Kills the process without warning (SIGKILL): nothing of it runs afterwards. */
export async function killHubProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
