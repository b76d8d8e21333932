/**
 * Issue "caregraph hl7 import": the real built CLI, as an operator runs it, imports a directory
 * of corpus files (a batch file included) through the listener's pipeline into a database of its
 * own (a PGlite data directory, or a fresh PostgreSQL database), prints a summary with exit code
 * 1 when a message failed, never prints message content, and a second run of the same files is
 * all duplicates.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCliEnvironment, type CliEnvironment } from '@caregraph/plugin-sdk/testing';

/** The adapter as the config file of a deployment imports it (its built entry point). */
const ADAPTER = new URL('../../dist/index.js', import.meta.url).href;
const fixture = (name: string) =>
  fileURLToPath(new URL(`../message/fixtures/${name}`, import.meta.url));

/** Corpus files: ADT (two), ORU, an unmapped ORM, and a FHS/BHS batch of two messages. */
const FILES = [
  'nodehl7-ADTA01.hl7',
  'hl7-sample.hl7',
  'hl7-sample2.hl7',
  'simple-hl7-orm-hl7.hl7',
  'hl7-standard-batch.hl7',
];

/** Each run boots a CLI process (Node, the database, migrations): slow on a loaded machine. */
const CLI_TIMEOUT = 240_000;

let dir: string;
let cli: CliEnvironment;
const run = (args: string[]) => cli.run(args);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-hl7-import-'));
  const tenantId = randomUUID();
  const integrationUserId = randomUUID();
  const configFile = join(dir, 'caregraph.config.mjs');
  await writeFile(
    configFile,
    `import { hl7v2 } from ${JSON.stringify(ADAPTER)};\n` +
      `export default { plugins: [{ plugin: hl7v2, config: ${JSON.stringify({
        tenantId,
        integrationUserId,
        listen: false,
      })} }] };\n`,
  );
  await mkdir(join(dir, 'inbox'));
  for (const name of FILES) await copyFile(fixture(name), join(dir, 'inbox', name));
  await writeFile(join(dir, 'inbox', 'notes.md'), 'not an HL7 file: skipped');
  cli = await createCliEnvironment({ configFile });
  const seed = await run([
    'seed',
    '--tenant-id',
    tenantId,
    '--integration-user-id',
    integrationUserId,
  ]);
  expect(seed.stderr).toBe('');
  expect(seed.stdout).toContain('Seeded demo-clinic');
}, CLI_TIMEOUT);

afterAll(async () => {
  await cli?.dispose();
  await rm(dir, { recursive: true, force: true });
});

it(
  'imports a directory with a summary, exit code 1 for a failed message, then only duplicates',
  async () => {
    const first = await run(['hl7', 'import', join(dir, 'inbox')]);
    expect(first.stdout).toContain(
      'Imported 6 of 6 messages from 5 files: 3 processed, 2 not mapped, 0 duplicate, 0 held, 1 error.',
    );
    expect(first.stdout).toContain('hl7-standard-batch.hl7: 1 of 2 messages in the error queue');
    expect(first.code).toBe(1);
    // Not a terminal: plain progress lines on stderr, the summary on stdout.
    expect(first.stderr).toContain('progress: 6/6');
    // Never message content: no names or identifiers of the fixtures' patients.
    for (const phi of ['APPLESEED', 'EVERYWOMAN', 'MotherToBe', 'MRN12345', '555-44-4444'])
      expect(first.stdout + first.stderr).not.toContain(phi);

    const second = await run(['hl7', 'import', join(dir, 'inbox')]);
    expect(second.stdout).toContain(
      'Imported 6 of 6 messages from 5 files: 0 processed, 0 not mapped, 6 duplicate, 0 held, 0 error.',
    );
    expect(second.code).toBe(0);
  },
  CLI_TIMEOUT,
);

it(
  'imports one file, and refuses a path that does not exist',
  async () => {
    const one = await run(['hl7', 'import', join(dir, 'inbox', 'hl7-sample.hl7')]);
    expect(one.stdout).toContain('Imported 1 of 1 messages from 1 files: 0 processed');
    expect(one.code).toBe(0);
    const missing = await run(['hl7', 'import', join(dir, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere does not exist or cannot be read.');
  },
  CLI_TIMEOUT,
);
