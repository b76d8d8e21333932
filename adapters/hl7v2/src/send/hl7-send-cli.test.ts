/**
 * `caregraph hl7 send`: the real built CLI sends a file's messages over one MLLP connection to a
 * real listener, prints every ACK, and exits 1 when one is not AA/CA or the listener is not
 * there. It is standalone (no database), and connects to the adapter's `listen` by default.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCliEnvironment, type CliEnvironment } from '@caregraph/plugin-sdk/testing';
import { parseMessage } from '../message/index.js';
import { MllpServer, silentMllpLogger } from '../mllp/index.js';
import { freePort } from '../testing/hl7-test-hub.js';

/** The adapter as a deployment's config file imports it (its built entry point). */
const ADAPTER = new URL('../../dist/index.js', import.meta.url).href;
const CLI_TIMEOUT = 120_000;

const adt = (controlId: string) =>
  [
    `MSH|^~\\&|DEMO_EHR|DEMO_CLINIC|RIS|X|20261201093000||ADT^A04^ADT_A01|${controlId}|P|2.5.1`,
    'EVN|A04|20261201093000',
    `PID|1||${controlId}^^^DEMO_EHR^MR||SEND^TEST||19800101|F`,
  ].join('\n');

let dir: string;
let server: MllpServer;
let port: number;
let cli: CliEnvironment;
const received: string[] = [];

beforeAll(async () => {
  // A receiver that accepts every message but the one with control id "REJECT-ME".
  server = new MllpServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentMllpLogger,
    handler: (payload) => {
      const controlId = parseMessage(payload).get('MSH-10') ?? '';
      received.push(controlId);
      const code = controlId === 'REJECT-ME' ? 'AE' : 'AA';
      return `MSH|^~\\&|RIS|X|DEMO_EHR|DEMO_CLINIC|20261201093001||ACK^A04^ACK|ACK-${controlId}|P|2.5.1\rMSA|${code}|${controlId}`;
    },
  });
  ({ port } = await server.listen());
  dir = await mkdtemp(join(tmpdir(), 'cg-hl7-send-'));
  const configFile = join(dir, 'caregraph.config.mjs');
  // The adapter's listener on every interface: `hl7 send` connects to it on loopback.
  await writeFile(
    configFile,
    `import { hl7v2 } from ${JSON.stringify(ADAPTER)};\n` +
      `export default { plugins: [{ plugin: hl7v2, config: ${JSON.stringify({
        tenantId: '6f3c1c1e-2b1a-4c7e-9a51-0d3e5f6a7b8c',
        integrationUserId: 'b2a4f0e8-5c3d-4e1f-8a6b-7c9d0e1f2a3b',
        listen: { host: '0.0.0.0', port },
      })} }] };\n`,
  );
  await writeFile(join(dir, 'two.hl7'), `${adt('SEND-1')}\n${adt('REJECT-ME')}\n`);
  await writeFile(join(dir, 'one.hl7'), adt('SEND-2'));
  cli = await createCliEnvironment({ configFile });
}, CLI_TIMEOUT);

afterAll(async () => {
  await server?.close();
  await cli?.dispose();
  await rm(dir, { recursive: true, force: true });
});

it(
  'sends every message of a file to the configured listener, prints each ACK, exit code 1 for an AE',
  async () => {
    const result = await cli.run(['hl7', 'send', join(dir, 'two.hl7')]);
    expect(received).toEqual(['SEND-1', 'REJECT-ME']);
    expect(result.stdout).toContain('message 1: AA\n  MSH|^~\\&|RIS|X|');
    expect(result.stdout).toContain('  MSA|AA|SEND-1\n');
    expect(result.stdout).toContain('message 2: AE\n');
    expect(result.stdout).toContain('  MSA|AE|REJECT-ME\n');
    expect(result.stdout).toContain(`Sent 2 of 2 messages to 127.0.0.1:${port}: 1 not accepted.`);
    expect(result.code).toBe(1);
  },
  CLI_TIMEOUT,
);

it(
  'takes --host and --port, and fails with the transport error when nothing listens',
  async () => {
    const ok = await cli.run([
      'hl7',
      'send',
      join(dir, 'one.hl7'),
      '--host',
      'localhost',
      '--port',
      String(port),
    ]);
    expect(ok.stdout).toContain(`Sent 1 of 1 messages to localhost:${port}: 0 not accepted.`);
    expect(ok.code).toBe(0);

    const closed = await freePort();
    const refused = await cli.run(['hl7', 'send', join(dir, 'one.hl7'), '--port', String(closed)]);
    expect(refused.stderr).toContain(
      `caregraph hl7 send: Could not connect to the MLLP endpoint 127.0.0.1:${closed} (ECONNREFUSED).`,
    );
    expect(refused.code).toBe(1);

    const bad = await cli.run(['hl7', 'send', join(dir, 'one.hl7'), '--port', 'http']);
    expect(bad.stderr).toContain('MLLP option "port" is invalid');
    expect(bad.code).toBe(1);
  },
  CLI_TIMEOUT,
);
