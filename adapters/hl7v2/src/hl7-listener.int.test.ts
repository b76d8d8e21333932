/**
 * Issue 5: the hub's MLLP listener as senders use it. Raw `net` sockets send a message byte by
 * byte and two messages coalesced in one write (each answered, in order); an oversize message is
 * answered AR and the connection keeps serving; enhanced mode gets its commit ACK then the
 * application ACK; a message in the error queue is reprocessed through GraphQL; bad GraphQL
 * input is BAD_USER_INPUT at its argument.
 */
import { connect, type Socket } from 'node:net';
import { Role } from '@caregraph/schema';
import { frame, MllpFrameDecoder } from './mllp/index.js';
import { parseMessage } from './message/index.js';
import { startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

let t: Hl7TestHub;

beforeAll(async () => {
  t = await startHl7TestHub({ listen: { maxMessageBytes: 8 * 1024 } });
});

afterAll(async () => {
  await t?.stop();
});

function adt(controlId: string, mrn: string, options: { msh15?: string; msh16?: string } = {}) {
  const enhanced =
    options.msh15 || options.msh16 ? `|||${options.msh15 ?? ''}|${options.msh16 ?? ''}` : '';
  return [
    `MSH|^~\\&|ADT1|GHH|CAREGRAPH|CLINIC|20260101120000||ADT^A04^ADT_A01|${controlId}|P|2.5.1${enhanced}`,
    'EVN|A04|20260101120000',
    `PID|1||${mrn}^^^GHH^MR||LISTENER^TEST||19700101|M`,
    `PV1|1|O|CLINIC^1^1||||||||||||||||V-${mrn}`,
  ].join('\r');
}

/** A raw socket and the MSA-1/MSA-2 of every ACK frame it receives. */
async function rawSocket(): Promise<{
  socket: Socket;
  acks: () => Promise<string[]>;
  wait: (n: number) => Promise<string[]>;
}> {
  const socket = connect({ host: '127.0.0.1', port: t.port });
  await new Promise<void>((resolve, reject) =>
    socket.once('connect', resolve).once('error', reject),
  );
  const decoder = new MllpFrameDecoder();
  const received: string[] = [];
  socket.on('data', (chunk) => {
    for (const event of decoder.push(chunk))
      if (event.type === 'frame') {
        const ack = parseMessage(event.payload);
        received.push(`${ack.get('MSA-1')} ${ack.get('MSA-2')}`);
      }
  });
  const wait = async (n: number) => {
    const deadline = Date.now() + 20_000;
    while (received.length < n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    return [...received];
  };
  return { socket, acks: async () => [...received], wait };
}

it('answers a message that arrives byte by byte', async () => {
  const { socket, wait } = await rawSocket();
  const bytes = frame(adt('FRAG-1', 'MRN-FRAG'));
  for (const byte of bytes) {
    socket.write(Buffer.from([byte]));
    await new Promise((r) => setImmediate(r));
  }
  expect(await wait(1)).toEqual(['AA FRAG-1']);
  socket.destroy();
});

it('answers two messages coalesced in one write, in order', async () => {
  const { socket, wait } = await rawSocket();
  socket.write(
    Buffer.concat([frame(adt('COAL-1', 'MRN-COAL-1')), frame(adt('COAL-2', 'MRN-COAL-2'))]),
  );
  expect(await wait(2)).toEqual(['AA COAL-1', 'AA COAL-2']);
  socket.destroy();
});

it('answers an oversize message AR and keeps serving the connection', async () => {
  const client = await t.connect();
  const huge = `${adt('BIG-1', 'MRN-BIG')}\rNTE|1||${'x'.repeat(20 * 1024)}`;
  const nak = parseMessage(await client.send(huge, { timeoutMs: 20_000 }));
  expect(nak.get('MSA-1')).toBe('AR');
  expect(nak.get('MSA-2')).toBe('BIG-1');
  const next = parseMessage(
    await client.send(adt('AFTER-BIG', 'MRN-AFTER'), { timeoutMs: 20_000 }),
  );
  expect(next.get('MSA-1')).toBe('AA');
  await client.close();
});

it('sends the commit ACK, then the application ACK, in enhanced mode', async () => {
  const client = await t.connect();
  const frames = await client.sendExpecting(
    adt('ENH-1', 'MRN-ENH', { msh15: 'AL', msh16: 'AL' }),
    2,
    {
      timeoutMs: 20_000,
    },
  );
  expect(frames.map((f) => parseMessage(f).get('MSA-1'))).toEqual(['CA', 'AA']);
  // SU: only a successful application ACK; NE: no commit ACK.
  const only = await client.send(adt('ENH-2', 'MRN-ENH-2', { msh15: 'NE', msh16: 'SU' }), {
    timeoutMs: 20_000,
  });
  expect(parseMessage(only).get('MSA-1')).toBe('AA');
  await client.close();
});

it('reprocesses a message of the error queue once its cause is fixed, then the ones held behind it', async () => {
  // A merge (A40) of a patient not registered yet: 204, in the error queue.
  const merge = [
    'MSH|^~\\&|ADT1|GHH|CAREGRAPH|CLINIC|20260101120000||ADT^A40^ADT_A39|REPRO-1|P|2.5.1',
    'EVN|A40|20260101120000',
    'PID|1||MRN-SURVIVOR^^^GHH^MR||SURVIVOR^SAM||19700101|M',
    'MRG|MRN-MERGED^^^GHH^MR',
  ].join('\r');
  const nak = await t.send(merge);
  expect([nak.get('MSA-1'), nak.get('ERR-3.1')]).toEqual(['AE', '204']);
  // A later message about the survivor waits behind it.
  expect((await t.send(adt('REPRO-2', 'MRN-SURVIVOR'))).get('MSA-1')).toBe('AE');
  // The merged patient is registered (another patient: not held).
  expect((await t.send(adt('REPRO-3', 'MRN-MERGED'))).get('MSA-1')).toBe('AA');

  const ids = async (text: string) => {
    const res = await t.hub.graphql<{
      integrationMessages: { edges: { node: { id: string; status: string } }[] };
    }>(
      'query($text: String) { integrationMessages(text: $text, first: 5) { edges { node { id status } } } }',
      { text },
      { role: Role.ADMIN },
    );
    return res.data!.integrationMessages.edges.map((edge) => edge.node);
  };
  const [failed] = await ids('REPRO-1');
  expect((await ids('REPRO-2'))[0]!.status).toBe('HELD');
  const res = await t.hub.graphql<{
    reprocessIntegrationMessage: { status: string; attempts: number; records: string[] };
  }>(
    'mutation($id: ID!) { reprocessIntegrationMessage(id: $id) { status attempts records } }',
    { id: failed!.id },
    { role: Role.INTEGRATION },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.reprocessIntegrationMessage).toMatchObject({ status: 'PROCESSED', attempts: 2 });
  expect(
    res.data!.reprocessIntegrationMessage.records.filter((r) => r.startsWith('Patient/')),
  ).toHaveLength(2);
  expect((await ids('REPRO-2'))[0]!.status).toBe('PROCESSED');
});

it('answers bad GraphQL input with BAD_USER_INPUT at the argument', async () => {
  const res = await t.hub.graphql(
    '{ integrationMessages(first: 1000) { edges { cursor } } }',
    {},
    { role: Role.ADMIN },
  );
  expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(res.errors?.[0]?.extensions)).toContain('first');
  const cursor = await t.hub.graphql(
    '{ integrationMessages(after: "nope") { edges { cursor } } }',
    {},
    { role: Role.ADMIN },
  );
  expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

it('refuses the message store to clinical roles', async () => {
  const res = await t.hub.graphql(
    '{ integrationMessages { edges { cursor } } }',
    {},
    { role: Role.PHYSICIAN },
  );
  expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
