/**
 * A batch (FHS/BHS … BTS/FTS) in one MLLP frame, over a real socket: each message goes through
 * the intake in order, the frame gets one batch acknowledgement (HL7 v2.5, 2.10.3) with an ACK
 * per message, BHS-12 naming the sender's BHS-11 and BTS-1 the count; a malformed message is
 * answered AE/AR and put in the error queue while the others are applied; a resent batch gets the
 * original outcomes and applies nothing twice; a BTS count mismatch is reported, not fatal; a
 * batch frame over the size limit is refused as a whole.
 */
import { readFileSync } from 'node:fs';
import { Role } from '@caregraph/schema';
import { parseMessage, splitBatch } from './message/index.js';
import type { Hl7Message } from './message/types.js';
import { startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

let t: Hl7TestHub;

beforeAll(async () => {
  t = await startHl7TestHub({ listen: { maxMessageBytes: 16 * 1024 } });
});

afterAll(async () => {
  await t?.stop();
});

const MESSAGES = `query($text: String) {
  integrationMessages(text: $text, first: 50) {
    edges { node { status controlId channel ackCode errorCode records } }
  }
}`;

async function stored(controlId: string) {
  const res = await t.hub.graphql<{
    integrationMessages: { edges: { node: Record<string, unknown> }[] };
  }>(MESSAGES, { text: controlId }, { role: Role.ADMIN });
  expect(res.errors).toBeUndefined();
  return res.data!.integrationMessages.edges.map((edge) => edge.node);
}

function adt(controlId: string, mrn: string, gender = 'F') {
  return [
    `MSH|^~\\&|ADT1|GHH|CAREGRAPH|CLINIC|20260101120000||ADT^A01^ADT_A01|${controlId}|P|2.5.1`,
    'EVN|A01|20260101120000',
    `PID|1||${mrn}^^^GHH^MR||BATCH^BETTY||19620320|${gender}`,
    `PV1|1|I|2000^2012^01||||||||||||||||VISIT-${mrn}`,
  ].join('\r');
}

function batch(
  messages: string[],
  options: { file?: string; batch?: string; count?: number } = {},
): string {
  const lines = [`BHS|^~\\&|ADT1|GHH|CAREGRAPH|CLINIC|20260101120000||||${options.batch ?? ''}`];
  lines.push(...messages, `BTS|${options.count ?? messages.length}`);
  if (options.file !== undefined) {
    lines.unshift(`FHS|^~\\&|ADT1|GHH|CAREGRAPH|CLINIC|20260101120000||||${options.file}`);
    lines.push('FTS|1');
  }
  return lines.join('\r');
}

/** A batch acknowledgement: its header lines, its ACK messages, and what splitBatch reads. */
interface BatchAck {
  text: string;
  segments: string[];
  acks: Hl7Message[];
  split: ReturnType<typeof splitBatch>;
}

async function sendBatch(text: string | Buffer): Promise<BatchAck> {
  const client = await t.connect();
  try {
    const answer = (await client.send(text, { timeoutMs: 30_000 })).toString('utf8');
    const split = splitBatch(answer);
    return {
      text: answer,
      segments: answer.split('\r').map((line) => line.slice(0, 3)),
      acks: split.messages.map((m) => parseMessage(m)),
      split,
    };
  } finally {
    await client.close();
  }
}

const codes = (answer: BatchAck) =>
  answer.acks.map((ack) => `${ack.get('MSA-1')} ${ack.get('MSA-2')}`);

it('answers a 3-message batch file with one batch ACK of 3 AA, in order, and applies all 3', async () => {
  const sent = batch([adt('B3-1', 'MRN-B3-1'), adt('B3-2', 'MRN-B3-2'), adt('B3-3', 'MRN-B3-3')], {
    file: 'FILE-77',
    batch: 'BATCH-12',
  });
  const answer = await sendBatch(sent);
  expect(answer.segments).toEqual([
    'FHS',
    'BHS',
    ...Array(3).fill(['MSH', 'MSA']).flat(),
    'BTS',
    'FTS',
  ]);
  expect(codes(answer)).toEqual(['AA B3-1', 'AA B3-2', 'AA B3-3']);
  expect(answer.split.header).toMatchObject({
    segment: 'FHS',
    sendingApplication: 'CAREGRAPH',
    receivingApplication: 'ADT1',
    receivingFacility: 'GHH',
    referenceControlId: 'FILE-77',
  });
  expect(answer.split.batches).toHaveLength(1);
  expect(answer.split.batches[0]!.header?.referenceControlId).toBe('BATCH-12');
  expect(answer.split.batches[0]!.declaredCount).toBe(3);
  expect(answer.split.declaredBatchCount).toBe(1);
  expect(answer.split.problems).toEqual([]);
  for (const id of ['B3-1', 'B3-2', 'B3-3']) {
    const [row] = await stored(id);
    expect(row).toMatchObject({ status: 'PROCESSED', channel: 'mllp', ackCode: 'AA' });
    expect(row!.records).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Patient\//),
        expect.stringMatching(/^Encounter\//),
      ]),
    );
  }
});

it('answers a malformed message of a batch AE or AR, applies the others and queues the bad ones', async () => {
  const unreadable = adt('BAD-AR', 'MRN-BAD-AR').replace('ADT^A01^ADT_A01', ''); // no MSH-9
  const answer = await sendBatch(
    batch(
      [
        adt('BAD-OK-1', 'MRN-BAD-1'),
        adt('BAD-AE', 'MRN-BAD-AE', 'Q'), // PID-8 not in table 0001
        unreadable,
        adt('BAD-OK-2', 'MRN-BAD-2'),
      ],
      { batch: 'BATCH-BAD' },
    ),
  );
  expect(answer.segments[0]).toBe('BHS');
  expect(answer.segments.at(-1)).toBe('BTS');
  expect(codes(answer)).toEqual(['AA BAD-OK-1', 'AE BAD-AE', 'AR BAD-AR', 'AA BAD-OK-2']);
  expect([answer.acks[1]!.get('ERR-2.1'), answer.acks[1]!.get('ERR-2.3')]).toEqual(['PID', '8']);
  expect(answer.acks[2]!.get('ERR-3.1')).toBe('101');
  expect(answer.split.batches[0]!.declaredCount).toBe(4);
  expect((await stored('BAD-OK-1'))[0]).toMatchObject({ status: 'PROCESSED' });
  expect((await stored('BAD-OK-2'))[0]).toMatchObject({ status: 'PROCESSED' });
  expect((await stored('BAD-AE'))[0]).toMatchObject({ status: 'ERROR', ackCode: 'AE' });
  const errors = await t.hub.graphql<{
    integrationMessages: { edges: { node: { errorCode: string; ackCode: string } }[] };
  }>(
    '{ integrationMessages(status: ERROR, first: 50) { edges { node { errorCode ackCode } } } }',
    {},
    { role: Role.ADMIN },
  );
  expect(errors.data!.integrationMessages.edges.map((e) => e.node)).toContainEqual({
    errorCode: 'HL7_ERR_REQUIRED_FIELD_MISSING',
    ackCode: 'AR',
  });
});

it('answers a resent batch with the original outcomes and applies nothing twice', async () => {
  const sent = batch(
    [adt('RE-1', 'MRN-RE-1'), adt('RE-2', 'MRN-RE-2', 'Q'), adt('RE-3', 'MRN-RE-3')],
    {
      batch: 'BATCH-RE',
    },
  );
  const first = await sendBatch(sent);
  const again = await sendBatch(sent);
  expect(codes(first)).toEqual(['AA RE-1', 'AE RE-2', 'AA RE-3']);
  // Each ACK byte for byte the original's (same MSH-10 of the ACK); only the envelope is new.
  expect(again.split.messages).toEqual(first.split.messages);
  expect(again.split.batches[0]!.header?.referenceControlId).toBe('BATCH-RE');
  for (const id of ['RE-1', 'RE-3']) {
    const rows = await stored(id);
    expect(rows.map((row) => row.status).sort()).toEqual(['DUPLICATE', 'PROCESSED']);
    const original = rows.find((row) => row.status === 'PROCESSED')!.records as string[];
    expect(original.filter((ref) => ref.startsWith('Encounter/'))).toHaveLength(1);
  }
  expect((await stored('RE-2')).map((row) => row.status).sort()).toEqual(['DUPLICATE', 'ERROR']);
});

it('processes the messages of a batch whose BTS count is wrong and says so in BTS-2', async () => {
  const answer = await sendBatch(
    batch([adt('CNT-1', 'MRN-CNT-1'), adt('CNT-2', 'MRN-CNT-2')], { count: 3 }),
  );
  expect(codes(answer)).toEqual(['AA CNT-1', 'AA CNT-2']);
  const bts = answer.text.split('\r').at(-1)!;
  expect(bts).toBe('BTS|2|BTS-1 declares 3 messages, the batch has 2 (line 10).');
  expect((await stored('CNT-2'))[0]).toMatchObject({ status: 'PROCESSED' });
});

it('answers an empty batch with an empty batch', async () => {
  const answer = await sendBatch('BHS|^~\\&|ADT1|GHH|||||||EMPTY-1\rBTS|0');
  expect(answer.segments).toEqual(['BHS', 'BTS']);
  expect(answer.text.endsWith('|EMPTY-1\rBTS|0')).toBe(true);
});

it('answers the corpus batch file sent in one frame: AE 101 for its A01, nothing for its NE RSP', async () => {
  const raw = readFileSync(new URL('./message/fixtures/hl7-standard-batch.hl7', import.meta.url));
  const answer = await sendBatch(raw);
  expect(answer.segments).toEqual(['FHS', 'BHS', 'MSH', 'MSA', 'ERR', 'BTS', 'FTS']);
  expect(codes(answer)).toEqual(['AE 24553']);
  expect(answer.acks[0]!.get('ERR-1.4.1')).toBe('101'); // v2.4: ERR-1
  expect(answer.split.header).toMatchObject({ receivingApplication: '1231' });
  expect(answer.split.batches[0]!.declaredCount).toBe(1);
  expect((await stored('24553'))[0]).toMatchObject({ status: 'ERROR', channel: 'mllp' });
  expect((await stored('20171023134421'))[0]).toMatchObject({ status: 'NOT_MAPPED' });
});

it('keeps serving single messages on the connection after a batch', async () => {
  const client = await t.connect();
  try {
    const answer = await client.send(batch([adt('MIX-1', 'MRN-MIX-1')]), { timeoutMs: 30_000 });
    expect(answer.toString('utf8').startsWith('BHS|')).toBe(true);
    const single = parseMessage(
      await client.send(adt('MIX-2', 'MRN-MIX-2'), { timeoutMs: 30_000 }),
    );
    expect(single.get('MSA-1')).toBe('AA');
  } finally {
    await client.close();
  }
});

it('puts both ACKs of an enhanced-mode message into the batch ACK, commit ACK first', async () => {
  const enhanced = adt('ENH-B1', 'MRN-ENH-B1').replace('|P|2.5.1', '|P|2.5.1|||AL|AL');
  const answer = await sendBatch(batch([enhanced, adt('ENH-B2', 'MRN-ENH-B2')]));
  expect(codes(answer)).toEqual(['CA ENH-B1', 'AA ENH-B1', 'AA ENH-B2']);
  expect(answer.split.batches[0]!.declaredCount).toBe(3);
});

it('refuses a batch frame over maxMessageBytes as a whole with one AR, processing none of it', async () => {
  const big = `${adt('HUGE-2', 'MRN-HUGE-2')}\rNTE|1||${'x'.repeat(20 * 1024)}`;
  const client = await t.connect();
  try {
    const nak = parseMessage(
      await client.send(batch([adt('HUGE-1', 'MRN-HUGE-1'), big]), { timeoutMs: 30_000 }),
    );
    expect([nak.get('MSA-1'), nak.get('MSA-2')]).toEqual(['AR', 'HUGE-1']);
  } finally {
    await client.close();
  }
  expect(await stored('HUGE-1')).toEqual([]);
});
