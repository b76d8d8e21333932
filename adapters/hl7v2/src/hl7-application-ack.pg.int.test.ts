/**
 * Enhanced mode, live: the sender gets its commit ACK (CA) and its connection is gone before the
 * application ACK is written. HL7 lets the receiver send that ACK later over a link of its own:
 * it goes, exactly once, to the sender's `applicationAckDestinations` entry (a real MLLP
 * receiver), or the message is marked undelivered. The window is made deterministic: the test
 * holds the patient's advisory lock (as the intake takes it) from a transaction of its own, so
 * the message is stored and commit-acknowledged, the sender resets its connection, and only then
 * is the message applied. PostgreSQL only (PGlite has one connection: the lock would not block).
 */
import net from 'node:net';
import type { EntityManager } from '@mikro-orm/sql';
import { Role } from '@caregraph/schema';
import { withConfig } from '@caregraph/plugin-sdk';
import { contextCapturingPlugin } from './testing/context-capturing-plugin.js';
import { parseMessage, type ParsedMessage } from './message/index.js';
import { frame, MllpFrameDecoder } from './mllp/index.js';
import { lockKey, patientKeyIndexOf, patientLock } from './store/message-store.js';
import { applicationAckDestination, DownstreamReceiver } from './testing/downstream-receiver.js';
import { waitFor } from './testing/eventually.js';
import { startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

const MESSAGE = `query($text: String) {
  integrationMessages(text: $text, first: 5) {
    edges { node { controlId status applicationAckDelivery } }
  }
}`;
const OUTBOUND = `query {
  outboundMessages(destination: "engine-acks", first: 20) {
    edges { node { status messageType controlId attempts } }
  }
}`;

/** The companion that plays the other transaction holding the patient's lock. */
const { plugin: lockHolder, context: locker } = contextCapturingPlugin('hl7v2-lock-holder');

let t: Hl7TestHub;
let engine: DownstreamReceiver;

beforeAll(async () => {
  engine = await DownstreamReceiver.start();
  t = await startHl7TestHub(
    {
      outbound: [applicationAckDestination('engine-acks', engine)],
      applicationAckDestinations: { 'LAB^ACKHOSP': 'engine-acks' },
    },
    (config) => [withConfig(lockHolder, config)],
  );
  await t.hub.waitForState('hl7v2-lock-holder', 'running');
}, 180_000);

afterAll(async () => {
  await t?.stop();
  await engine?.close();
});

/** An enhanced-mode (MSH-15/16 `AL`) ADT^A28 from `sender`^ACKHOSP for patient `mrn`. */
function enhancedAddPerson(sender: string, controlId: string, mrn: string): string {
  return [
    `MSH|^~\\&|${sender}|ACKHOSP|CAREGRAPH|CLINIC|20260101120000||ADT^A28^ADT_A05|${controlId}|P|2.5.1|||AL|AL`,
    'EVN|A28|20260101120000',
    `PID|1||${mrn}^^^ACKHOSP^MR||ACK^ALEX||19800101|F`,
  ].join('\r');
}

/**
 * Holds the advisory lock the intake takes on the message's patient, in a transaction of its
 * own, until `release` is called.
 */
async function holdPatientLock(text: string): Promise<{ release(): Promise<void> }> {
  const ctx = locker();
  const { tenantId, integrationUserId } = ctx.config;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const done = ctx.inTenant({ tenantId, userId: integrationUserId }, (scope) =>
    scope.write(async (w) => {
      const key = patientKeyIndexOf(scope, parseMessage(text))!;
      await lockKey(w.em as EntityManager, patientLock(tenantId, key));
      held();
      await released;
    }),
  );
  await holding;
  return {
    async release() {
      release();
      await done;
    },
  };
}

/**
 * Sends `text` on a connection of its own, reads the first answer (the commit ACK) and resets
 * the connection at once: the sender is gone before its application ACK.
 */
async function sendAndDropAfterCommitAck(text: string): Promise<ParsedMessage> {
  const socket = net.connect({ host: '127.0.0.1', port: t.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const decoder = new MllpFrameDecoder({});
  const commitAck = await new Promise<Buffer>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) if (event.type === 'frame') resolve(event.payload);
    });
    socket.once('error', reject);
    socket.write(frame(text));
  });
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.resetAndDestroy();
  await closed;
  return parseMessage(commitAck);
}

async function stored(controlId: string) {
  const res = await t.hub.graphql<{
    integrationMessages: {
      edges: { node: { controlId: string; status: string; applicationAckDelivery: string } }[];
    };
  }>(MESSAGE, { text: controlId }, { role: Role.ADMIN });
  expect(res.errors).toBeUndefined();
  return res.data!.integrationMessages.edges.find((e) => e.node.controlId === controlId)?.node;
}

async function outboundAcks() {
  const res = await t.hub.graphql<{
    outboundMessages: {
      edges: {
        node: { status: string; messageType: string; controlId: string; attempts: number };
      }[];
    };
  }>(OUTBOUND, {}, { role: Role.ADMIN });
  expect(res.errors).toBeUndefined();
  return res.data!.outboundMessages.edges.map((e) => e.node);
}

it('delivers the application ACK to the configured destination, once, when the connection closed right after the CA', async () => {
  const text = enhancedAddPerson('LAB', 'ENH-DROP-1', 'ACK-1');
  const lock = await holdPatientLock(text);
  const commitAck = await sendAndDropAfterCommitAck(text);
  expect([commitAck.get('MSA-1'), commitAck.get('MSA-2')]).toEqual(['CA', 'ENH-DROP-1']);
  expect((await stored('ENH-DROP-1'))?.status).toBe('RECEIVED');
  await lock.release();

  const [ack] = await waitFor('the application ACK at the engine', () =>
    engine.received.length > 0 ? engine.received : undefined,
  );
  expect([ack!.header.messageCode, ack!.get('MSA-1'), ack!.get('MSA-2')]).toEqual([
    'ACK',
    'AA',
    'ENH-DROP-1',
  ]);
  expect(await stored('ENH-DROP-1')).toMatchObject({
    status: 'PROCESSED',
    applicationAckDelivery: 'QUEUED',
  });
  const rows = await waitFor('the ACK recorded as delivered', async () => {
    const all = await outboundAcks();
    return all[0]?.status === 'DELIVERED' ? all : undefined;
  });
  expect(rows).toEqual([
    { status: 'DELIVERED', messageType: 'ACK^A28', controlId: ack!.header.controlId, attempts: 1 },
  ]);

  // Nothing sends it again: the engine holds it once.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(engine.received.filter((m) => m.get('MSA-2') === 'ENH-DROP-1')).toHaveLength(1);
});

it('records the application ACK as undelivered when the sender has no application-ACK destination', async () => {
  const text = enhancedAddPerson('RIS', 'ENH-DROP-2', 'ACK-2');
  const lock = await holdPatientLock(text);
  const commitAck = await sendAndDropAfterCommitAck(text);
  expect([commitAck.get('MSA-1'), commitAck.get('MSA-2')]).toEqual(['CA', 'ENH-DROP-2']);
  await lock.release();

  const message = await waitFor('the message applied', async () => {
    const row = await stored('ENH-DROP-2');
    return row?.status === 'PROCESSED' && row.applicationAckDelivery ? row : undefined;
  });
  expect(message.applicationAckDelivery).toBe('UNDELIVERED');
  expect(engine.received.filter((m) => m.get('MSA-2') === 'ENH-DROP-2')).toHaveLength(0);
  expect(await outboundAcks()).toHaveLength(1);
});

it('keeps the live path: an open connection gets the CA and the AA, and nothing is queued', async () => {
  const client = await t.connect();
  try {
    const [commit, application] = (
      await client.sendExpecting(enhancedAddPerson('LAB', 'ENH-LIVE-1', 'ACK-3'), 2, {
        timeoutMs: 20_000,
      })
    ).map((answer) => parseMessage(answer));
    expect([commit!.get('MSA-1'), application!.get('MSA-1')]).toEqual(['CA', 'AA']);
    expect(application!.get('MSA-2')).toBe('ENH-LIVE-1');
  } finally {
    await client.close();
  }
  expect(await stored('ENH-LIVE-1')).toMatchObject({
    status: 'PROCESSED',
    applicationAckDelivery: null,
  });
  expect(await outboundAcks()).toHaveLength(1);
});
