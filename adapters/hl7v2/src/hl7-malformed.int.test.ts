/**
 * Issue 5: 1,040 malformed messages (13 kinds of defect over ADT and ORU) over real MLLP
 * connections: each is answered AE or AR (never AA, never silence), each lands in the error
 * queue, and the hub keeps serving a valid message afterwards.
 */
import { Role } from '@caregraph/schema';
import { parseMessage } from './message/index.js';
import { DEFECTS, malformedMessages } from './testing/malformed-messages.js';
import { startHl7TestHub, type Hl7TestHub } from './testing/hl7-test-hub.js';

const COUNT = 1_040;
const CONNECTIONS = 4;

let t: Hl7TestHub;

beforeAll(async () => {
  t = await startHl7TestHub();
});

afterAll(async () => {
  await t?.stop();
});

it('answers each malformed message AE or AR, stores it, and keeps serving', async () => {
  const messages = malformedMessages(COUNT);
  const codes = new Map<string, Set<string>>();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = await t.connect();
      try {
        while (next < messages.length) {
          const { defect, text } = messages[next++]!;
          const code = parseMessage(await client.send(text, { timeoutMs: 30_000 })).get('MSA-1')!;
          if (!codes.has(defect)) codes.set(defect, new Set());
          codes.get(defect)!.add(code);
        }
      } finally {
        await client.close();
      }
    }),
  );
  expect([...codes.keys()].sort()).toEqual(Object.keys(DEFECTS).sort());
  for (const [defect, seen] of codes)
    expect({ defect, codes: [...seen].filter((code) => code !== 'AE' && code !== 'AR') }).toEqual({
      defect,
      codes: [],
    });

  const valid = [
    'MSH|^~\\&|FUZZ|FUZZ HOSPITAL|CAREGRAPH|CLINIC|20260101120000||ADT^A04^ADT_A01|VALID-1|P|2.5.1',
    'EVN|A04|20260101120000',
    'PID|1||OK-1^^^FUZZ^MR||STILL^SERVING||19800101|F',
    'PV1|1|O|CLINIC^1^1||||||||||||||||VOK1',
  ].join('\r');
  expect((await t.send(valid)).get('MSA-1')).toBe('AA');

  const queue = await t.hub.graphql<{
    integrationMessages: {
      edges: unknown[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  }>(
    'query($after: String) { integrationMessages(status: ERROR, first: 100, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } }',
    {},
    { role: Role.ADMIN },
  );
  expect(queue.errors).toBeUndefined();
  let stored = queue.data!.integrationMessages.edges.length;
  let page = queue.data!.integrationMessages.pageInfo;
  while (page.hasNextPage) {
    const more = await t.hub.graphql<typeof queue.data & object>(
      'query($after: String) { integrationMessages(status: ERROR, first: 100, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } }',
      { after: page.endCursor },
      { role: Role.ADMIN },
    );
    stored += more.data!.integrationMessages.edges.length;
    page = more.data!.integrationMessages.pageInfo;
  }
  expect(stored).toBe(COUNT);
}, 300_000);
