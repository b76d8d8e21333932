import { describe, expect, it } from '@jest/globals';

import { splitBatch } from './batch.js';
import { buildAck } from './build-ack.js';
import { buildFallbackNak } from './fallback-nak.js';
import { Hl7Error, Hl7ErrorCode, Hl7ErrorCondition } from './hl7-error.js';
import { parseMessage } from './parse-message.js';
import { seededRandom } from '../testing/seeded-random.js';
import { fixture, fixtureNames } from './test-support.js';

const INTERESTING = [
  0x0b, 0x1c, 0x0d, 0x0a, 0x00, 0x7c, 0x5e, 0x7e, 0x5c, 0x26, 0x23, 0x22, 0xff, 0xc3, 0xef, 0x20,
];
const CHARSETS = ['8859/1', 'UNICODE UTF-8', 'ISO IR87', 'BOGUS', 'ASCII', '8859/15', ''];
const VERSIONS = ['2.1', '2.5.1', '2.8.2', '2.9', '3', '', 'x'];

type Mutation = (bytes: Buffer, rand: () => number) => Buffer;

const int = (rand: () => number, n: number): number => Math.floor(rand() * n);

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => b.subarray(0, int(r, b.length + 1)),
  dropMsh: (b) => {
    const text = b.toString('latin1');
    const end = text.search(/[\r\n]/);
    return Buffer.from(end < 0 ? '' : text.slice(end + 1), 'latin1');
  },
  corruptDelimiters: (b, r) => {
    const out = Buffer.from(b);
    const at = 3 + int(r, 6);
    if (at < out.length) out[at] = INTERESTING[int(r, INTERESTING.length)]!;
    return out;
  },
  randomBytes: (b, r) => {
    const out = Buffer.from(b);
    for (let i = int(r, 8) + 1; i > 0 && out.length > 0; i--) {
      out[int(r, out.length)] = r() < 0.5 ? INTERESTING[int(r, INTERESTING.length)]! : int(r, 256);
    }
    return out;
  },
  deleteFields: (b, r) => {
    const parts = b.toString('latin1').split('|');
    for (let i = int(r, 4) + 1; i > 0 && parts.length > 1; i--)
      parts.splice(int(r, parts.length), 1);
    return Buffer.from(parts.join('|'), 'latin1');
  },
  swapLines: (b, r) => {
    const lines = b.toString('latin1').split(/\r\n|\r|\n/);
    const i = int(r, lines.length);
    const j = int(r, lines.length);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return Buffer.from(lines.join('\r'), 'latin1');
  },
  header: (b, r) => {
    const lines = b.toString('latin1').split(/\r\n|\r|\n/);
    const fields = lines[0]!.split('|');
    while (fields.length < 19) fields.push('');
    if (r() < 0.5) fields[17] = CHARSETS[int(r, CHARSETS.length)]!;
    else fields[11] = VERSIONS[int(r, VERSIONS.length)]!;
    lines[0] = fields.join('|');
    return Buffer.from(lines.join('\r'), 'latin1');
  },
  frame: (b, r) =>
    Buffer.concat([
      Buffer.from(r() < 0.5 ? [0x0b] : [0xef, 0xbb, 0xbf]),
      b,
      Buffer.from(r() < 0.5 ? [0x1c, 0x0d] : [0x0a, 0x0a]),
    ]),
};

const CODES = new Set<string>(Object.values(Hl7ErrorCode));
const CONDITIONS = new Set(Object.keys(Hl7ErrorCondition));
const ROUNDS = 1200;

describe('seeded mutations of the corpus', () => {
  it(`${ROUNDS} mutations: each parses or throws a coded Hl7Error, and every answer is a parseable ACK`, () => {
    const rand = seededRandom(20240601);
    const names = fixtureNames();
    const kinds = Object.keys(MUTATIONS);
    const outcome = { parsed: 0, rejected: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const name = names[round % names.length]!;
      const source = fixture(name);
      let patient: string | undefined;
      try {
        patient = parseMessage(source).get('PID-5.1') ?? undefined;
      } catch {
        patient = undefined;
      }
      let bytes = source;
      for (let k = int(rand, 3) + 1; k > 0; k--)
        bytes = MUTATIONS[kinds[int(rand, kinds.length)]!]!(bytes, rand);
      const context = `round ${round} (${name})`;
      let ackText: string;
      try {
        const m = parseMessage(bytes);
        outcome.parsed++;
        ackText = buildAck({ header: m.header, delimiters: m.delimiters, code: 'AA', message: m });
        const ack = parseMessage(ackText);
        expect({ context, id: ack.get('MSA-2') }).toEqual({ context, id: m.header.controlId });
        expect(ack.header.version).toBe(m.header.version);
        for (const s of m.segments) s.repetitions(3);
      } catch (e) {
        if (!(e instanceof Hl7Error)) throw new Error(`${context}: ${String(e)}`, { cause: e });
        outcome.rejected++;
        expect({
          context,
          code: CODES.has(e.code),
          hl7: CONDITIONS.has(e.hl7Code),
          ack: ['AE', 'AR'].includes(e.ackCode),
        }).toEqual({
          context,
          code: true,
          hl7: true,
          ack: true,
        });
        if (patient && patient.length >= 3) expect(e.message).not.toContain(patient);
        ackText = buildFallbackNak(bytes, e);
        const nak = parseMessage(ackText);
        expect(nak.get('MSA-1')).toBe('AR');
      }
      try {
        expect(Array.isArray(splitBatch(bytes).messages)).toBe(true);
      } catch (e) {
        // Only an undecodable character set stops a split.
        if (!(e instanceof Hl7Error))
          throw new Error(`${context}: splitBatch: ${String(e)}`, { cause: e });
        expect(e.code).toBe(Hl7ErrorCode.UNSUPPORTED_CHARSET);
      }
    }
    expect(outcome.parsed + outcome.rejected).toBe(ROUNDS);
    expect(outcome.parsed).toBeGreaterThan(100);
    expect(outcome.rejected).toBeGreaterThan(100);
  });
});
