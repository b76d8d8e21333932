/**
 * The periodic recovery sweep, on a hub that keeps running: a message that another instance
 * stored (step 1, status `received`) and never applied, because it died in between, is applied
 * by the sweep of this one within `recovery.intervalSeconds`; a message younger than
 * `recovery.orphanAgeSeconds` (one a live instance may be applying right now) is left alone.
 * The dead instance is played by a companion plugin that runs the store step only
 * (`storeReceived`), exactly as the intake commits it before applying. An enhanced-mode message
 * applied by the sweep has no connection for its application ACK: it goes, once, to the sender's
 * `applicationAckDestinations` entry (a real MLLP receiver here), or is marked undelivered.
 */
import { Role } from '@caregraph/schema';
import { withConfig } from '@caregraph/plugin-sdk';
import { contextCapturingPlugin } from './testing/context-capturing-plugin.js';
import { parseMessage } from './message/index.js';
import { storeReceived } from './store/message-store.js';
import { applicationAckDestination, DownstreamReceiver } from './testing/downstream-receiver.js';
import { waitFor } from './testing/eventually.js';
import { startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

const ORPHAN_AGE_SECONDS = 30;
const MESSAGES = `query($text: String) {
  integrationMessages(text: $text, first: 10) {
    edges { node { controlId status patientId applicationAckDelivery } }
  }
}`;
const OUTBOUND = `query {
  outboundMessages(destination: "engine-acks", first: 20) {
    edges { node { status messageType controlId sourceEventType attempts } }
  }
}`;
const PATIENT = `query($system: String!, $value: String!) {
  patientByIdentifier(system: $system, value: $value) { id }
}`;

/** The instance that dies between storing and applying: it only ever stores. */
const { plugin: storeOnly, context: deadInstance } = contextCapturingPlugin('hl7v2-store-only');

let t: Hl7TestHub;
/** The integration engine that takes the application ACKs of sender `ADT1^SWEEPHOSP`. */
let engine: DownstreamReceiver;

beforeAll(async () => {
  engine = await DownstreamReceiver.start();
  t = await startHl7TestHub(
    {
      recovery: { intervalSeconds: 1, orphanAgeSeconds: ORPHAN_AGE_SECONDS },
      outbound: [applicationAckDestination('engine-acks', engine)],
      applicationAckDestinations: { 'ADT1^SWEEPHOSP': 'engine-acks' },
    },
    (config) => [withConfig(storeOnly, config)],
  );
  await t.hub.waitForState('hl7v2-store-only', 'running');
}, 180_000);

afterAll(async () => {
  await t?.stop();
  await engine?.close();
});

/**
 * An ADT^A28 (add person) for `mrn` with control id `controlId`; `enhanced`: MSH-15/16 `AL`
 * (enhanced mode), from `sender` (MSH-3, default `ADT1`).
 */
function addPerson(controlId: string, mrn: string, enhanced = false, sender = 'ADT1'): string {
  const modes = enhanced ? '|||AL|AL' : '';
  return [
    `MSH|^~\\&|${sender}|SWEEPHOSP|CAREGRAPH|CLINIC|20260101120000||ADT^A28^ADT_A05|${controlId}|P|2.5.1${modes}`,
    'EVN|A28|20260101120000',
    `PID|1||${mrn}^^^SWEEPHOSP^MR||SWEEP^SAM||19700101|M`,
  ].join('\r');
}

/** Stores a message as the dead instance did: committed as `received`, never applied. */
async function storeWithoutApplying(text: string, receivedAt: Date): Promise<void> {
  const ctx = deadInstance();
  const { tenantId, integrationUserId } = ctx.config;
  const stored = await ctx.inTenant({ tenantId, userId: integrationUserId }, (scope) =>
    storeReceived(scope, { channel: 'mllp', receivedAt, text, message: parseMessage(text) }),
  );
  expect(stored.kind).toBe('new');
}

interface StoredMessage {
  controlId: string;
  status: string;
  applicationAckDelivery: string | null;
}

async function storedMessage(controlId: string): Promise<StoredMessage | undefined> {
  const res = await t.hub.graphql<{ integrationMessages: { edges: { node: StoredMessage }[] } }>(
    MESSAGES,
    { text: controlId },
    { role: Role.ADMIN },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.integrationMessages.edges.find((e) => e.node.controlId === controlId)?.node;
}

async function statusOf(controlId: string): Promise<string | undefined> {
  return (await storedMessage(controlId))?.status;
}

interface OutboundRow {
  status: string;
  messageType: string;
  controlId: string;
  sourceEventType: string;
  attempts: number;
}

async function queuedAcks(): Promise<OutboundRow[]> {
  const res = await t.hub.graphql<{ outboundMessages: { edges: { node: OutboundRow }[] } }>(
    OUTBOUND,
    {},
    { role: Role.ADMIN },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.outboundMessages.edges.map((e) => e.node);
}

async function patientWith(mrn: string): Promise<string | undefined> {
  const res = await t.hub.graphql<{ patientByIdentifier: { id: string } | null }>(
    PATIENT,
    { system: 'urn:hl7v2:SWEEPHOSP:MR', value: mrn },
    { role: Role.ADMIN },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.patientByIdentifier?.id;
}

it('applies, while the hub runs, a message another instance stored and never applied, and leaves a fresh one alone', async () => {
  const orphanedAt = new Date(Date.now() - 2 * ORPHAN_AGE_SECONDS * 1000);
  await storeWithoutApplying(addPerson('SWEEP-OLD-1', 'SWEEP-1'), orphanedAt);
  await storeWithoutApplying(addPerson('SWEEP-NEW-1', 'SWEEP-2'), new Date());
  expect(await statusOf('SWEEP-OLD-1')).toBe('RECEIVED');
  expect(await patientWith('SWEEP-1')).toBeUndefined();

  await sweptUp('SWEEP-OLD-1');
  expect(await patientWith('SWEEP-1')).toBeDefined();
  // Younger than orphanAgeSeconds: a live instance may be applying it, so the sweep leaves it.
  expect(await statusOf('SWEEP-NEW-1')).toBe('RECEIVED');
  expect(await patientWith('SWEEP-2')).toBeUndefined();

  // The sweep queues its next run: a message orphaned later is applied by a later sweep.
  await storeWithoutApplying(addPerson('SWEEP-OLD-2', 'SWEEP-3'), orphanedAt);
  await sweptUp('SWEEP-OLD-2');
  expect(await patientWith('SWEEP-3')).toBeDefined();
});

async function sweptUp(controlId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await statusOf(controlId)) !== 'PROCESSED') {
    if (Date.now() > deadline) throw new Error(`the sweep did not apply ${controlId}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('sends the application ACK of an enhanced-mode message the sweep applied to the sender destination, once', async () => {
  const orphanedAt = new Date(Date.now() - 2 * ORPHAN_AGE_SECONDS * 1000);
  await storeWithoutApplying(addPerson('SWEEP-ENH-1', 'SWEEP-4', true), orphanedAt);

  const [ack] = await waitFor('the application ACK at the engine', () =>
    engine.received.length > 0 ? engine.received : undefined,
  );
  expect([ack!.header.messageCode, ack!.get('MSA-1'), ack!.get('MSA-2')]).toEqual([
    'ACK',
    'AA',
    'SWEEP-ENH-1',
  ]);
  // Addressed to the message's sender, and itself asking for no acknowledgement.
  expect([ack!.get('MSH-5'), ack!.get('MSH-15'), ack!.get('MSH-16')]).toEqual(['ADT1', 'NE', 'NE']);
  expect(await patientWith('SWEEP-4')).toBeDefined();
  expect(await storedMessage('SWEEP-ENH-1')).toMatchObject({
    status: 'PROCESSED',
    applicationAckDelivery: 'QUEUED',
  });
  const [row] = await waitFor('the ACK to be recorded as delivered', async () => {
    const rows = await queuedAcks();
    return rows[0]?.status === 'DELIVERED' ? rows : undefined;
  });
  expect(row).toMatchObject({
    messageType: 'ACK^A28',
    controlId: ack!.header.controlId,
    sourceEventType: 'ApplicationAck',
    attempts: 1,
  });

  // Later sweeps (one a second) leave it alone: the engine got it exactly once.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(engine.received.filter((m) => m.get('MSA-2') === 'SWEEP-ENH-1')).toHaveLength(1);
  expect(await queuedAcks()).toHaveLength(1);
});

it('marks the application ACK undelivered when the sender has no application-ACK destination', async () => {
  const orphanedAt = new Date(Date.now() - 2 * ORPHAN_AGE_SECONDS * 1000);
  const queuedBefore = (await queuedAcks()).length;
  await storeWithoutApplying(addPerson('SWEEP-ENH-2', 'SWEEP-5', true, 'ADT2'), orphanedAt);

  const stored = await waitFor('the sweep to apply it', async () => {
    const message = await storedMessage('SWEEP-ENH-2');
    return message?.status === 'PROCESSED' ? message : undefined;
  });
  expect(stored.applicationAckDelivery).toBe('UNDELIVERED');
  expect(engine.received.filter((m) => m.get('MSA-2') === 'SWEEP-ENH-2')).toHaveLength(0);
  expect(await queuedAcks()).toHaveLength(queuedBefore);
});
