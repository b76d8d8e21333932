import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Role } from '@caregraph/schema';
// Test support only: the crash suite needs a real hub process on its own database. The plugin's
// runtime code never imports core (src/testing/ is excluded from the build).
import { loadOrCreateDevSigningKey, mintDevToken, writeMasterKeyFile } from '@caregraph/core';
import { createTestDatabase, type TestDatabase } from '@caregraph/core/testing';
import type { z } from 'zod';
import type { engagementConfigSchema } from '../config.js';

const PROCESS_SCRIPT = fileURLToPath(new URL('./crash-hub-process.mjs', import.meta.url));
const START_TIMEOUT_MS = 90_000;

/**
 * Every hub process this module spawned (jest loads it once per test file), and the signal that
 * kills those spawned after the suite ended: a timed-out test keeps running after its suite, and
 * a hub it started then would outlive the suite and keep the jest worker from exiting.
 */
const running = new Set<ChildProcess>();
const suiteEnd = new AbortController();

/** For a suite's `afterAll`: SIGKILLs every hub process still running and any spawned later. */
export async function killCrashHubProcesses(): Promise<void> {
  const exits = [...running].map(async (child) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  });
  suiteEnd.abort();
  await Promise.all(exits);
}

/** One run of the hub process. */
export interface CrashHubProcess {
  child: ChildProcess;
  /** The hub's GraphQL URL. */
  url: string;
  /** Whether this boot seeded the demo clinic (the first one only). */
  seeded: boolean;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/**
 * The engagement config of every hub process of a suite, beside its tenant and account: JSON only
 * (it crosses a process boundary).
 */
export type CrashHubEngagementConfig = Omit<
  z.input<typeof engagementConfigSchema>,
  'tenantId' | 'integrationUserId'
>;

/** A GraphQL answer. */
export interface CrashHubResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * A PostgreSQL database, a master key and pinned ids for a hub with the engagement plugin that a
 * test can SIGKILL and start again on the same data: `start()` boots a process (the first one
 * seeds the demo clinic), `kill()` kills it without warning, `pause()` freezes it (SIGSTOP),
 * `setClock()` moves the scheduler's time, `graphql()` calls it as a demo user, and `sql()` reads
 * the database as its admin (row-level security does not apply).
 */
export class CrashHub {
  readonly tenantId = randomUUID();
  readonly integrationUserId = randomUUID();
  /** The process started last (`graphql()` calls it). */
  current?: CrashHubProcess;
  /** Every process of this hub still running (two share the database in one test). */
  private readonly processes = new Set<CrashHubProcess>();
  /** The scheduler's clock minus the system's, kept across restarts. */
  private clockOffsetMs = 0;
  private admin?: pg.Client;
  private readonly tokens = new Map<Role, string>();

  private constructor(
    readonly database: TestDatabase,
    readonly dir: string,
    private readonly engagement: CrashHubEngagementConfig,
  ) {}

  /** Creates the database (CAREGRAPH_TEST_DATABASE_URL) and a master key file. */
  static async create(engagement: CrashHubEngagementConfig = {}): Promise<CrashHub> {
    if (!process.env.CAREGRAPH_TEST_DATABASE_URL)
      throw new Error('the crash suite runs on PostgreSQL: set CAREGRAPH_TEST_DATABASE_URL');
    const database = await createTestDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'caregraph-engagement-crash-'));
    await writeMasterKeyFile(join(dir, 'master-key'));
    return new CrashHub(database, dir, engagement);
  }

  /** Starts a hub process and resolves once the plugin runs (rejects if it exits first). */
  start(): Promise<CrashHubProcess> {
    if (this.database.target.kind !== 'postgres') throw new Error('PostgreSQL only');
    const options = {
      databaseUrl: this.database.target.url,
      tenantId: this.tenantId,
      integrationUserId: this.integrationUserId,
      masterKeyFile: join(this.dir, 'master-key'),
      dataDir: join(this.dir, 'data'),
      clockOffsetMs: this.clockOffsetMs,
      engagement: this.engagement,
    };
    const child = spawn(process.execPath, [PROCESS_SCRIPT, JSON.stringify(options)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: suiteEnd.signal,
      killSignal: 'SIGKILL',
    });
    child.on('error', () => undefined);
    child.stdin!.on('error', () => undefined);
    running.add(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void exited.then(() => running.delete(child));
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the hub process did not start:\n${out}\n${err}`));
      }, START_TIMEOUT_MS);
      child.stderr!.on('data', (d) => (err += d));
      const onData = (d: Buffer) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{"ready":true'));
        if (!line) return;
        child.stdout!.off('data', onData);
        clearTimeout(timer);
        const ready = JSON.parse(line) as { url: string; seeded: boolean };
        const started: CrashHubProcess = { child, exited, url: ready.url, seeded: ready.seeded };
        this.current = started;
        this.processes.add(started);
        void exited.then(() => this.processes.delete(started));
        resolve(this.current);
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the hub process exited (${code ?? signal}):\n${out}\n${err}`));
      });
    });
  }

  /** The scheduler's time now. */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /** Sets the scheduler's time (it runs on from `at`), in the running processes and later ones. */
  async setClock(at: Date): Promise<void> {
    this.clockOffsetMs = at.getTime() - Date.now();
    const command = `${JSON.stringify({ clockOffsetMs: this.clockOffsetMs })}\n`;
    await Promise.all(
      [...this.processes].map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            const onData = (d: Buffer) => {
              if (!String(d).includes('"clock"')) return;
              child.stdout!.off('data', onData);
              resolve();
            };
            child.stdout!.on('data', onData);
            child.stdin!.write(command);
          }),
      ),
    );
  }

  /** Moves the scheduler's time on by `ms`. */
  advanceClock(ms: number): Promise<void> {
    return this.setClock(new Date(this.now().getTime() + ms));
  }

  /** SIGSTOP: the process is frozen (it reads and writes nothing; `setClock` skips it). */
  pause(): void {
    const current = this.current;
    if (!current) return;
    this.processes.delete(current);
    current.child.kill('SIGSTOP');
  }

  /**
   * SIGKILL: nothing of the process runs afterwards (no shutdown, no flush). `which`: the current
   * one by default.
   */
  async kill(which = this.current): Promise<void> {
    if (which === this.current) this.current = undefined;
    if (!which) return;
    this.processes.delete(which);
    if (which.child.exitCode !== null || which.child.signalCode !== null) return;
    which.child.kill('SIGKILL');
    await which.exited;
  }

  /** SIGTERM (graceful stop), SIGKILL after 30 s. `which`: the current process by default. */
  async stop(which = this.current): Promise<void> {
    if (which === this.current) this.current = undefined;
    if (!which || which.child.exitCode !== null || which.child.signalCode !== null) return;
    const timer = setTimeout(() => which.child.kill('SIGKILL'), 30_000);
    which.child.kill('SIGTERM');
    await which.exited;
    clearTimeout(timer);
  }

  /** Sends a GraphQL request to the running process as the tenant's first active user with `role`. */
  async graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    role: Role,
  ): Promise<CrashHubResponse<T>> {
    if (!this.current) throw new Error('no hub process is running');
    const response = await fetch(this.current.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await this.token(role)}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as CrashHubResponse<T>;
  }

  /** A dev token (signed with the key in the hubs' data dir) for the first user with `role`. */
  private async token(role: Role): Promise<string> {
    const known = this.tokens.get(role);
    if (known) return known;
    const [user] = await this.sql<{ id: string }>(
      `select id from "user" where tenant_id = $1 and active and $2 = any(roles)
        order by created_at, email limit 1`,
      [this.tenantId, role],
    );
    if (!user) throw new Error(`no demo user with role ${role}`);
    const key = await loadOrCreateDevSigningKey(join(this.dir, 'data'));
    const token = await mintDevToken(key, { userId: user.id, tenantId: this.tenantId }, '1h');
    this.tokens.set(role, token);
    return token;
  }

  /** Runs SQL on the suite's database as its admin. */
  async sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    if (!this.admin) {
      this.admin = new pg.Client({ connectionString: this.database.url });
      await this.admin.connect();
    }
    return (await this.admin.query<T>(text, params)).rows;
  }

  /** Stops the current process, kills any other, closes the admin connection, drops the database. */
  async dispose(): Promise<void> {
    await this.stop().catch(() => this.kill());
    await Promise.all([...this.processes].map((p) => this.kill(p)));
    await this.admin?.end();
    await this.database.dispose();
    await rm(this.dir, { recursive: true, force: true });
  }
}
