/**
 * Issue "caregraph hl7 import", watched folder: files dropped into the folder are imported once
 * stable through the listener's pipeline, moved to `done` (or `error` when a message failed),
 * and their messages are in the message store; a file still growing is left alone; the watcher
 * stops with the plugin.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Role } from '@caregraph/schema';
import { withConfig } from '@caregraph/plugin-sdk';
import { createTestHub, type PluginTestHub } from '@caregraph/plugin-sdk/testing';
import { hl7v2 } from '../plugin.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../message/fixtures/${name}`, import.meta.url));

let hub: PluginTestHub;
let dir: string;
let stopped = false;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-hl7-watch-'));
  const tenantId = randomUUID();
  const integrationUserId = randomUUID();
  hub = await createTestHub({
    plugins: [
      withConfig(hl7v2, {
        tenantId,
        integrationUserId,
        listen: false,
        watch: { dir, intervalSeconds: 0.2 },
      }),
    ],
    seed: { tenantId, integrationUserId },
  });
  await hub.waitForState('hl7v2', 'running');
});

afterAll(async () => {
  if (!stopped) await hub?.stop();
  await rm(dir, { recursive: true, force: true });
});

const MESSAGES = `query($text: String) {
  integrationMessages(text: $text, first: 50) {
    edges { node { status controlId messageType channel } }
  }
}`;

async function stored(text: string) {
  const res = await hub.graphql<{
    integrationMessages: { edges: { node: Record<string, unknown> }[] };
  }>(MESSAGES, { text }, { role: Role.ADMIN });
  expect(res.errors).toBeUndefined();
  return res.data!.integrationMessages.edges.map((edge) => edge.node);
}

/** Polls until `check` resolves true (the watcher works on its own schedule). */
async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const list = (sub = '') => readdir(join(dir, sub)).catch(() => [] as string[]);

it('imports a dropped file once stable and moves it to done', async () => {
  await copyFile(fixture('nodehl7-ADTA01.hl7'), join(dir, 'adt.hl7'));
  await until(async () => (await list('done')).includes('adt.hl7'));
  expect(await list()).not.toContain('adt.hl7');
  expect(await stored('HL7MSG00001')).toEqual([
    { status: 'PROCESSED', controlId: 'HL7MSG00001', messageType: 'ADT^A01', channel: 'file' },
  ]);
});

it('moves a file with a failed message to error, after importing the rest of it', async () => {
  await copyFile(fixture('hl7-standard-batch.hl7'), join(dir, 'batch.txt'));
  await until(async () => (await list('error')).includes('batch.txt'));
  const batch = [...(await stored('24553')), ...(await stored('20171023134421'))];
  expect(batch.map((m) => [m.controlId, m.channel])).toEqual([
    ['24553', 'file'],
    ['20171023134421', 'file'],
  ]);
  expect(batch.filter((m) => m.status === 'ERROR')).toHaveLength(1);
  expect(await list('done')).not.toContain('batch.txt');
});

it('deduplicates a file dropped again, keeping both copies in done', async () => {
  await copyFile(fixture('nodehl7-ADTA01.hl7'), join(dir, 'adt.hl7'));
  await until(async () => (await list('done')).length === 2);
  const rows = await stored('HL7MSG00001');
  expect(rows.map((row) => row.status).sort()).toEqual(['DUPLICATE', 'PROCESSED']);
});

it('leaves a file alone while it grows, and skips other files', async () => {
  const growing = join(dir, 'growing.hl7');
  await writeFile(join(dir, 'readme.md'), 'not HL7');
  await writeFile(growing, '');
  const lines = [
    'MSH|^~\\&|LAB|GHH|CAREGRAPH|CLINIC|20260101120000||ADT^A08^ADT_A01|WATCH-GROW-1|P|2.5.1',
    'EVN|A08|20260101120000',
    'PID|1||MRN-WATCH-1^^^GHH^MR||WATCHER^WILLA||19800101|F',
  ];
  for (const line of lines) {
    await appendFile(growing, `${line}\r`);
    // Grows on every poll: never two polls with the same size.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await list()).toContain('growing.hl7');
  }
  await until(async () => (await list('done')).includes('growing.hl7'));
  expect(await stored('WATCH-GROW-1')).toEqual([
    expect.objectContaining({ status: 'PROCESSED', channel: 'file' }),
  ]);
  expect(await list()).toContain('readme.md');
});

it('reports the watched folder on /health and stops with the plugin', async () => {
  const health = await hub.health();
  expect(health.plugins.find((p) => p.id === 'hl7v2')).toMatchObject({
    state: 'running',
    message: 'no listener, watching a folder',
  });
  await hub.stop();
  stopped = true;
  await copyFile(fixture('hl7-sample.hl7'), join(dir, 'late.hl7'));
  // Several poll intervals: a running watcher would have moved it.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await list()).toContain('late.hl7');
});
