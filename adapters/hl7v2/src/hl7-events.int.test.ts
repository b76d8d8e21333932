/**
 * Issue 5: what HL7 results raise, and the message store's retention. A final lab result raises
 * LabResultAvailable; an out-of-range device reading (IHE PCD-01) raises DeviceAlert in the
 * message's transaction, and a resend raises nothing again; retention prunes processed messages
 * and keeps the error queue.
 */
import { CareEventType, Role } from '@caregraph/schema';
import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';
import type { Hl7v2Config } from './config.js';
import { ORU_LAB, ORU_PCD01 } from './mappings/fixtures/messages.js';
import { pruneMessages } from './store/retention.js';
import { startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

let t: Hl7TestHub;
let probe: PluginContext | undefined;

/** A plugin whose context the test borrows to run the retention step as the adapter would. */
const contextProbe = definePlugin({
  id: 'context-probe',
  version: '1.0.0',
  apiVersion: '^1.4.0',
  async start(ctx) {
    probe = ctx;
  },
});

beforeAll(async () => {
  t = await startHl7TestHub({ extraPlugins: [contextProbe] });
});

afterAll(async () => {
  await t?.stop();
});

it('raises LabResultAvailable for a final lab result', async () => {
  const event = t.hub.waitForEvent((e) => e.type === CareEventType.LAB_RESULT_AVAILABLE, 20_000);
  expect((await t.send(ORU_LAB)).get('MSA-1')).toBe('AA');
  expect((await event).subject.type).toBe('Observation');
});

it('raises one DeviceAlert for an out-of-range device reading, none for its resend', async () => {
  const alerts: string[] = [];
  const first = t.hub.waitForEvent((e) => {
    if (e.type === CareEventType.DEVICE_ALERT) alerts.push(e.subject.id);
    return e.type === CareEventType.DEVICE_ALERT;
  }, 20_000);
  expect((await t.send(ORU_PCD01)).get('MSA-1')).toBe('AA');
  await first;
  const resent = ORU_PCD01.replace('|MSG00001|', '|MSG00002|');
  expect((await t.send(resent)).get('MSA-1')).toBe('AA');
  await expect(
    t.hub.waitForEvent(
      (e) => e.type === CareEventType.DEVICE_ALERT && !alerts.includes(e.subject.id),
      2_000,
    ),
  ).rejects.toThrow();
  expect(alerts).toHaveLength(1);
});

it('prunes processed messages past retention and keeps the error queue', async () => {
  expect((await t.send('not HL7 at all')).get('MSA-1')).toBe('AR');
  const count = async (status: string) => {
    const res = await t.hub.graphql<{ integrationMessages: { edges: unknown[] } }>(
      `{ integrationMessages(status: ${status}, first: 100) { edges { cursor } } }`,
      {},
      { role: Role.ADMIN },
    );
    return res.data!.integrationMessages.edges.length;
  };
  expect(await count('PROCESSED')).toBeGreaterThanOrEqual(3);
  const errors = await count('ERROR');
  const config = { tenantId: t.tenantId, integrationUserId: t.integrationUserId, retentionDays: 1 };
  const deleted = await pruneMessages(
    { ...probe!, config } as PluginContext<Hl7v2Config>,
    new Date(Date.now() + 60_000),
  );
  expect(deleted).toBeGreaterThanOrEqual(3);
  expect(await count('PROCESSED')).toBe(0);
  expect(await count('ERROR')).toBe(errors);
});
