import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createOrm } from '../db/create-orm.js';
import { createTestDatabase } from '../testing/test-database.js';
import {
  killCliProcesses,
  runCli as run,
  startHubProcess as startHub,
  stopHubProcess,
} from '../testing/hub-process.js';

async function me(url: string, token: string): Promise<{ roles: string[]; email: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { email roles } }' }),
  });
  const body = (await response.json()) as { data: { me: { roles: string[]; email: string } } };
  return body.data.me;
}

/** Stops a hub with SIGTERM and expects a clean exit. */
async function stopHub(child: ChildProcess): Promise<void> {
  expect(await stopHubProcess(child)).toBe(0);
}

const quiet = { CAREGRAPH_LOG_LEVEL: 'warn', NODE_ENV: 'development' };

/** Each test boots hubs as child processes (Node, migrations, the seed): slow on a loaded machine. */
const HUB_TEST_TIMEOUT = 180_000;

const postgresUrl = process.env.CAREGRAPH_TEST_DATABASE_URL;

// The embedded suite runs in the PGlite project only: in the PostgreSQL project it would boot the
// same embedded hubs a second time.
if (!postgresUrl)
  describe('caregraph CLI on embedded PGlite', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'cg-cli-'));
    });
    afterAll(async () => {
      // A test that timed out is still running: its hub would outlive the suite.
      await killCliProcesses();
      await rm(dataDir, { recursive: true, force: true });
    });

    it(
      'serves the seeded demo clinic, prints a token per role, and mints tokens while it runs',
      async () => {
        const env = { ...quiet, CAREGRAPH_DATA_DIR: dataDir };
        const { child, url, banner } = await startHub(env);
        try {
          expect(url).toMatch(/^http:\/\/localhost:\d+\/graphql$/);
          for (const role of [
            'admin',
            'physician',
            'nurse',
            'care_coordinator',
            'front_desk',
            'billing',
            'analyst',
            'patient',
            'integration',
          ]) {
            expect(banner).toContain(`  ${role} — `);
          }
          const printed = /physician — .*\n\s+(\S+)/.exec(banner)![1]!;
          expect((await me(url, printed)).roles).toEqual(['PHYSICIAN']);

          const byRole = await run(['token', '--role', 'nurse', '--ttl', '10m'], env);
          expect(byRole.code).toBe(0);
          expect(byRole.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
          const nurse = await me(url, byRole.stdout.trim());
          expect(nurse.roles).toEqual(['NURSE']);

          const byEmail = await run(['token', '--user', nurse.email], env);
          expect((await me(url, byEmail.stdout.trim())).email).toBe(nurse.email);

          const unknown = await run(['token', '--role', 'astronaut'], env);
          expect(unknown.code).toBe(1);
          expect(unknown.stderr).toContain('No active user with role "astronaut"');

          const second = await run(['serve', '--port', '0'], env);
          expect(second.code).toBe(1);
          expect(second.stderr).toMatch(/in use by process \d+/);
        } finally {
          await stopHub(child);
        }
        await expect(stat(join(dataDir, 'hub.lock'))).rejects.toThrow();
      },
      HUB_TEST_TIMEOUT,
    );

    it(
      'keeps data across restarts, migrates and seeds only once, and mints tokens with the hub stopped',
      async () => {
        const env = { ...quiet, CAREGRAPH_DATA_DIR: dataDir };
        const migrate = await run(['migrate'], env);
        expect(migrate.stdout).toContain('Database is up to date.');
        const seed = await run(['seed'], env);
        expect(seed.stdout).toContain('already has data');
        const token = await run(['token', '--role', 'admin'], env);
        expect(token.code).toBe(0);
        const { child, url } = await startHub(env);
        try {
          expect((await me(url, token.stdout.trim())).roles).toEqual(['ADMIN']);
        } finally {
          await stopHub(child);
        }
      },
      HUB_TEST_TIMEOUT,
    );

    it(
      'audit verify: intact after a write, exit code 1 naming the row after a raw SQL edit (#3)',
      async () => {
        const env = { ...quiet, CAREGRAPH_DATA_DIR: dataDir };
        const token = (await run(['token', '--role', 'nurse'], env)).stdout.trim();
        const { child, url } = await startHub(env);
        try {
          const post = async (query: string, variables = {}) =>
            (await (
              await fetch(url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                body: JSON.stringify({ query, variables }),
              })
            ).json()) as { data: { patients: { edges: { node: { id: string } }[] } } };
          const patients = await post('{ patients(first: 1) { edges { node { id } } } }');
          const created = await post(
            'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
            { input: { patientId: patients.data.patients.edges[0]!.node.id, title: 'Call back' } },
          );
          expect(created).not.toHaveProperty('errors');
        } finally {
          await stopHub(child);
        }
        const intact = await run(['audit', 'verify', '--tenant', 'demo-clinic'], env);
        // The search is audited as a read (sequence 1), the task as a write (sequence 2).
        expect(intact.stdout).toContain('Audit chain intact: 2 events in 1 tenants');
        expect(intact.code).toBe(0);

        const orm = await createOrm({ kind: 'pglite', dataDir });
        try {
          await orm.em
            .getConnection()
            .execute("update audit_event set type = 'patient.read' where sequence = 2");
        } finally {
          await orm.close();
        }
        const broken = await run(['audit', 'verify'], env);
        expect(broken.code).toBe(1);
        expect(broken.stdout).toMatch(/tenant demo-clinic sequence 2 event [0-9a-f-]{36}: edited/);
        expect(broken.stdout).not.toContain('Call back');
      },
      HUB_TEST_TIMEOUT,
    );

    it('keys: rotates offline on PGlite, refuses while the hub runs, re-wraps to a new master key, and stops a boot with the wrong one (#3)', async () => {
      const env = { ...quiet, CAREGRAPH_DATA_DIR: dataDir };
      const token = (await run(['token', '--role', 'physician'], env)).stdout.trim();
      const identifiers = async (url: string, bearer: string) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
          body: JSON.stringify({
            query: '{ patients(first: 3) { edges { node { identifiers { system value } } } } }',
          }),
        });
        const body = (await response.json()) as {
          data: { patients: { edges: { node: { identifiers: { value: string }[] } }[] } };
        };
        return body.data.patients.edges.flatMap((e) => e.node.identifiers.map((i) => i.value));
      };
      const running = await startHub(env);
      let before: string[];
      try {
        before = await identifiers(running.url, token);
        const refused = await run(['keys', 'rotate'], env);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/in use by process \d+/);
      } finally {
        await stopHub(running.child);
      }

      const rotated = await run(['keys', 'rotate', '--tenant', 'demo-clinic'], env);
      expect(rotated.stderr).toBe('');
      expect(rotated.stdout).toMatch(
        /tenant demo-clinic: data key v2 active; \d+ rows re-encrypted; retired v1/,
      );

      const status = await run(['keys', 'status'], env);
      expect(status.stdout).toMatch(
        /tenant demo-clinic: data v1 retired 0 values; data v2 active \d+ values; index v1 active; plaintext 0/,
      );

      const newKey = join(dataDir, 'next-master-key');
      expect((await run(['keys', 'new-master-key', newKey], env)).stdout).toMatch(
        /Wrote master key local:/,
      );
      const wrongKey = await run(['serve', '--port', '0'], {
        ...env,
        CAREGRAPH_MASTER_KEY_FILE: newKey,
      });
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toContain('CAREGRAPH_MASTER_KEY_FILE');
      expect(wrongKey.stderr).toContain('did not wrap the tenant keys');

      const rewrapped = await run(['keys', 'rewrap', '--new-master-key-file', newKey], env);
      expect(rewrapped.stdout).toMatch(/Re-wrapped 2 tenant key\(s\)/);
      const restarted = await startHub({ ...env, CAREGRAPH_MASTER_KEY_FILE: newKey });
      try {
        expect(await identifiers(restarted.url, token)).toEqual(before);
      } finally {
        await stopHub(restarted.child);
      }
      const orm = await createOrm({ kind: 'pglite', dataDir });
      try {
        const values = await orm.em
          .getConnection()
          .execute<{ value: string }[]>('select value from patient_identifier');
        expect(values.every((v) => v.value.startsWith('cg1:2:'))).toBe(true);
      } finally {
        await orm.close();
      }
    }, 240_000);

    it('stops at boot with a message naming the invalid variable', async () => {
      const result = await run(['serve'], {
        ...quiet,
        CAREGRAPH_DATA_DIR: dataDir,
        CAREGRAPH_PORT: 'eighty',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('CAREGRAPH_PORT');
    });

    it('refuses dev tokens in production', async () => {
      const result = await run(['token', '--role', 'admin'], {
        ...quiet,
        NODE_ENV: 'production',
        CAREGRAPH_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        CAREGRAPH_JWT_JWKS_URL: 'https://id.example/jwks',
        CAREGRAPH_JWT_ISSUER: 'https://id.example',
        CAREGRAPH_JWT_AUDIENCE: 'caregraph',
        CAREGRAPH_MASTER_KEY_FILE: '/nonexistent/master-key',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('dev tokens are disabled');
    });
  });

// Defined only where a PostgreSQL server is configured (always in .ci/run).
if (postgresUrl)
  describe('caregraph CLI on PostgreSQL', () => {
    it(
      'runs the same hub with CAREGRAPH_DATABASE_URL, seeded, with working tokens',
      async () => {
        const database = await createTestDatabase();
        const dataDir = await mkdtemp(join(tmpdir(), 'cg-cli-pg-'));
        const env = {
          ...quiet,
          CAREGRAPH_DATA_DIR: dataDir,
          CAREGRAPH_DATABASE_URL: database.url!,
        };
        try {
          const { child, url, banner } = await startHub(env);
          try {
            expect(banner).toContain('Database: PostgreSQL');
            const token = await run(['token', '--role', 'front_desk'], env);
            expect((await me(url, token.stdout.trim())).roles).toEqual(['FRONT_DESK']);
          } finally {
            await stopHub(child);
          }
        } finally {
          await rm(dataDir, { recursive: true, force: true });
          await database.dispose();
        }
      },
      HUB_TEST_TIMEOUT,
    );
  });
