import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
// Test support only: the crash suite needs a real hub process on its own database. The adapter's
// runtime code never imports core (see the `src/testing/` exception in .dependency-cruiser.cjs).
import { writeMasterKeyFile } from '@caregraph/core';
import { createTestDatabase, type TestDatabase } from '@caregraph/core/testing';
import type { Hl7v2ConfigInput } from '../config.js';
import { freePort } from './hl7-test-hub.js';

const PROCESS_SCRIPT = fileURLToPath(new URL('./crash-hub-process.mjs', import.meta.url));
const START_TIMEOUT_MS = 90_000;

/** One run of the hub process. */
export interface CrashHubProcess {
  child: ChildProcess;
  /** Whether this boot seeded the demo clinic (the first one only). */
  seeded: boolean;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/**
 * Adapter config of every hub process of a suite, beside its tenant, account and listener: JSON
 * only (it crosses a process boundary), so no hooks.
 */
export type CrashHubAdapterConfig = Omit<
  Hl7v2ConfigInput,
  'tenantId' | 'integrationUserId' | 'listen' | 'hooks'
>;

/**
 * A PostgreSQL database, a master key and pinned ids for a hub that a test can SIGKILL and start
 * again on the same data: `start()` boots a process (the first one seeds), `kill()` kills it
 * without warning, `stop()` stops it gracefully, `sql()` reads the database as its admin
 * (row-level security does not apply).
 */
export class CrashHub {
  readonly tenantId = randomUUID();
  readonly integrationUserId = randomUUID();
  current?: CrashHubProcess;
  private admin?: pg.Client;

  private constructor(
    readonly database: TestDatabase,
    readonly dir: string,
    readonly mllpPort: number,
    private readonly adapter: CrashHubAdapterConfig,
  ) {}

  /**
   * Creates the database (CAREGRAPH_TEST_DATABASE_URL), a master key file and a free MLLP port;
   * `adapter` is the adapter config of every process this hub starts.
   */
  static async create(adapter: CrashHubAdapterConfig = {}): Promise<CrashHub> {
    if (!process.env.CAREGRAPH_TEST_DATABASE_URL)
      throw new Error('the crash suite runs on PostgreSQL: set CAREGRAPH_TEST_DATABASE_URL');
    const database = await createTestDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'caregraph-hl7-crash-'));
    await writeMasterKeyFile(join(dir, 'master-key'));
    return new CrashHub(database, dir, await freePort(), adapter);
  }

  /** Starts a hub process and resolves once its adapter listens (rejects if it exits first). */
  start(): Promise<CrashHubProcess> {
    if (this.database.target.kind !== 'postgres') throw new Error('PostgreSQL only');
    const options = {
      databaseUrl: this.database.target.url,
      mllpPort: this.mllpPort,
      tenantId: this.tenantId,
      integrationUserId: this.integrationUserId,
      masterKeyFile: join(this.dir, 'master-key'),
      dataDir: join(this.dir, 'data'),
      adapter: this.adapter,
    };
    const child = spawn(process.execPath, [PROCESS_SCRIPT, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the hub process did not start:\n${out}\n${err}`));
      }, START_TIMEOUT_MS);
      child.stderr!.on('data', (d) => (err += d));
      child.stdout!.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{"ready":true'));
        if (!line) return;
        clearTimeout(timer);
        this.current = { child, exited, seeded: (JSON.parse(line) as { seeded: boolean }).seeded };
        resolve(this.current);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the hub process exited (${code ?? signal}):\n${out}\n${err}`));
      });
    });
  }

  /** SIGKILL: nothing of the process runs afterwards (no shutdown, no flush). */
  async kill(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
    current.child.kill('SIGKILL');
    await current.exited;
  }

  /** SIGTERM (graceful stop), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
    const timer = setTimeout(() => current.child.kill('SIGKILL'), 30_000);
    current.child.kill('SIGTERM');
    await current.exited;
    clearTimeout(timer);
  }

  /** Runs SQL on the suite's database as its admin. */
  async sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    if (!this.admin) {
      this.admin = new pg.Client({ connectionString: this.database.url });
      await this.admin.connect();
    }
    return (await this.admin.query<T>(text, params)).rows;
  }

  /** Stops the process, closes the admin connection, drops the database. */
  async dispose(): Promise<void> {
    await this.stop().catch(() => this.kill());
    await this.admin?.end();
    await this.database.dispose();
    await rm(this.dir, { recursive: true, force: true });
  }
}
