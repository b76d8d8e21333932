/**
 * The repository's default configuration (`caregraph.config.mjs`, what `npm start` runs with):
 * it registers the HL7 v2 adapter for the demo clinic with its MLLP listener on 127.0.0.1:2575
 * (`CAREGRAPH_HL7_LISTEN` moves it or switches it off), and a hub started from it, as
 * `caregraph serve`, applies the sample ADT that its banner suggests sending with
 * `caregraph hl7 send` (a standalone plugin command, run beside the serving hub).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { killCliProcesses, runCli, startHubProcess, stopHubProcess } from '@caregraph/core/testing';

const CONFIG_FILE = fileURLToPath(new URL('../caregraph.config.mjs', import.meta.url));

interface DemoConfig {
  seedIds: { tenantId: string; integrationUserId: string };
  plugins: { plugin: { id: string }; config: Record<string, unknown> }[];
  startupNotes: string[];
}
interface DemoConfigModule {
  demoConfig(env: Record<string, string | undefined>, cwd?: string): DemoConfig;
  DEMO_IDS: DemoConfig['seedIds'];
  SAMPLE_ADT: string;
}

/** A hub process seeds, migrates and boots PGlite: slow on a loaded machine. */
const HUB_TEST_TIMEOUT = 180_000;

let demo: DemoConfigModule;

beforeAll(async () => {
  demo = (await import(CONFIG_FILE)) as DemoConfigModule;
});

describe('the default start config', () => {
  it('registers the HL7 v2 adapter on the demo tenant, listening on 127.0.0.1:2575', () => {
    const config = demo.demoConfig({});
    expect(config.seedIds).toEqual(demo.DEMO_IDS);
    expect(config.plugins).toHaveLength(2);
    const [hl7] = config.plugins;
    expect(hl7!.plugin.id).toBe('hl7v2');
    expect(hl7!.config).toEqual({ ...demo.DEMO_IDS, listen: { host: '127.0.0.1', port: 2575 } });
    expect(config.startupNotes.join('\n')).toContain(
      'npx caregraph hl7 send adapters/hl7v2/examples/adt-a04-register-patient.hl7',
    );
  });

  it('registers the engagement plugin on the demo tenant: in-app only, email to a local relay when asked', () => {
    const [, engagement] = demo.demoConfig({}).plugins;
    expect(engagement!.plugin.id).toBe('engagement');
    expect(engagement!.config).toMatchObject({ ...demo.DEMO_IDS, channels: { inApp: true } });
    expect(engagement!.config.channels).not.toHaveProperty('email');
    const withMail = demo.demoConfig({ CAREGRAPH_DEMO_SMTP: '127.0.0.1:1025' }).plugins[1]!;
    expect(withMail.config.channels).toMatchObject({
      inApp: true,
      email: { host: '127.0.0.1', port: 1025, security: 'none' },
    });
    expect(() => demo.demoConfig({ CAREGRAPH_DEMO_SMTP: 'smtp.example.org:25' })).toThrow(
      /CAREGRAPH_DEMO_SMTP must be a local relay/,
    );
  });

  it('moves the listener or switches it off with CAREGRAPH_HL7_LISTEN', () => {
    expect(
      demo.demoConfig({ CAREGRAPH_HL7_LISTEN: '0.0.0.0:12575' }).plugins[0]!.config.listen,
    ).toEqual({ host: '0.0.0.0', port: 12575 });
    const off = demo.demoConfig({ CAREGRAPH_HL7_LISTEN: 'off' });
    expect(off.plugins[0]!.config.listen).toBe(false);
    expect(off.startupNotes.join('\n')).toContain('npx caregraph hl7 import');
    expect(() => demo.demoConfig({ CAREGRAPH_HL7_LISTEN: 'everywhere' })).toThrow(
      /CAREGRAPH_HL7_LISTEN must be/,
    );
  });
});

// `npm start` runs on embedded PGlite: in the PostgreSQL project this would only boot the same
// embedded hub a second time.
if (!process.env.CAREGRAPH_TEST_DATABASE_URL)
  describe('a hub started from it', () => {
    let child: ChildProcess | undefined;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'cg-demo-start-'));
    });
    afterAll(async () => {
      if (child) expect(await stopHubProcess(child)).toBe(0);
      // A hub the timed-out test was still starting would outlive the suite.
      await killCliProcesses();
      await rm(dataDir, { recursive: true, force: true });
    });

    it(
      'serves the listener and applies the sample ADT sent with caregraph hl7 send',
      async () => {
        const env = {
          NODE_ENV: 'development',
          CAREGRAPH_LOG_LEVEL: 'warn',
          // On disk, as `npm start` runs: `hl7 send` works beside the hub holding the data directory.
          CAREGRAPH_DATA_DIR: dataDir,
          CAREGRAPH_CONFIG: CONFIG_FILE,
          // A free port: the test must not take 2575 from a hub started with `npm start`.
          CAREGRAPH_HL7_LISTEN: '127.0.0.1:0',
        };
        const started = await startHubProcess(env);
        child = started.child;
        const port = /Plugin hl7v2: running \(MLLP on port (\d+)\)/.exec(started.banner)?.[1];
        expect(port).toBeDefined();
        expect(started.banner).toContain('HL7 v2 (demo clinic feed): MLLP listener on 127.0.0.1:0');
        const admin = /admin — .*\n\s+(\S+)/.exec(started.banner)![1]!;

        const sent = await runCli(['hl7', 'send', demo.SAMPLE_ADT, '--port', port!], env);
        expect(sent.stderr).toBe('');
        expect(sent.stdout).toContain('message 1: AA');
        expect(sent.stdout).toMatch(/^ {2}MSA\|AA\|DEMO-ADT-0001/m);
        expect(sent.stdout).toContain(`Sent 1 of 1 messages to 127.0.0.1:${port}: 0 not accepted.`);
        expect(sent.code).toBe(0);

        const response = await fetch(started.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
          body: JSON.stringify({
            query: `{
            integrationMessages(first: 5) { edges { node { controlId status patientId records } } }
          }`,
          }),
        });
        const body = (await response.json()) as {
          data: {
            integrationMessages: {
              edges: {
                node: { controlId: string; status: string; patientId: string; records: string[] };
              }[];
            };
          };
        };
        const [message, ...others] = body.data.integrationMessages.edges.map((e) => e.node);
        expect(others).toEqual([]);
        expect(message).toMatchObject({ controlId: 'DEMO-ADT-0001', status: 'PROCESSED' });
        // Applied: the new patient and their visit were written from it.
        expect(message!.patientId).toEqual(expect.any(String));
        expect(message!.records).toContain(`Patient/${message!.patientId}`);
      },
      HUB_TEST_TIMEOUT,
    );
  });
