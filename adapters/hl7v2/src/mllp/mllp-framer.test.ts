import { frame, MllpFrameDecoder, type MllpFrameEvent } from './mllp-framer.js';

const VT = '\x0b';
const END = '\x1c\r';
const MSG_A = 'MSH|^~\\&|LAB|HOSP|CG|CG|20260101||ADT^A01|A1|P|2.5.1\rPID|1||123^^^HOSP^MR';
const MSG_B = 'MSH|^~\\&|LAB|HOSP|CG|CG|20260101||ADT^A08|B2|P|2.5.1\rPID|1||456^^^HOSP^MR';

/** Feeds `bytes` to a decoder in chunks of `size` bytes and collects every event. */
function decodeInChunks(
  bytes: Buffer,
  size: number,
  decoder = new MllpFrameDecoder(),
): MllpFrameEvent[] {
  const events: MllpFrameEvent[] = [];
  for (let i = 0; i < bytes.length; i += size)
    events.push(...decoder.push(bytes.subarray(i, i + size)));
  return events;
}

function payloads(events: MllpFrameEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'frame' ? [e.payload.toString('utf8')] : []));
}

describe('frame', () => {
  it('wraps a payload in the start block and FS CR', () => {
    expect(frame('AB')).toEqual(Buffer.from([0x0b, 0x41, 0x42, 0x1c, 0x0d]));
    expect(frame(Buffer.from([0xe9]))).toEqual(Buffer.from([0x0b, 0xe9, 0x1c, 0x0d]));
  });

  it('encodes strings as UTF-8', () => {
    expect(frame('é').subarray(1, -2)).toEqual(Buffer.from('é', 'utf8'));
  });
});

describe('MllpFrameDecoder', () => {
  const two = Buffer.concat([frame(MSG_A), frame(MSG_B)]);

  it('decodes two frames coalesced in one chunk, in order', () => {
    expect(payloads(new MllpFrameDecoder().push(two))).toEqual([MSG_A, MSG_B]);
  });

  it.each([1, 2, 3, 7, 64])('decodes the same frames fed %i byte(s) at a time', (size) => {
    const events = decodeInChunks(two, size);
    expect(events.map((e) => e.type)).toEqual(['frame', 'frame']);
    expect(payloads(events)).toEqual([MSG_A, MSG_B]);
  });

  it('holds an unfinished frame until its end arrives, splitting FS from CR', () => {
    const decoder = new MllpFrameDecoder();
    expect(decoder.push(Buffer.from(VT + 'MSH|x\x1c'))).toEqual([]);
    expect(decoder.pendingBytes).toBe(6);
    expect(payloads(decoder.push(Buffer.from('\r')))).toEqual(['MSH|x']);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('decodes an empty frame', () => {
    expect(payloads(new MllpFrameDecoder().push(Buffer.from(VT + END)))).toEqual(['']);
  });

  it('keeps bytes that are not valid UTF-8 as they are (charset is the caller’s business)', () => {
    const latin1 = Buffer.from('PID|1||Müller', 'latin1');
    const [event] = new MllpFrameDecoder().push(frame(latin1));
    expect(event).toEqual({ type: 'frame', payload: latin1 });
  });

  it('discards and counts bytes before the start block and between frames', () => {
    const bytes = Buffer.concat([
      Buffer.from('noise'),
      frame(MSG_A),
      Buffer.from('\r\n'),
      frame(MSG_B),
    ]);
    const events = decodeInChunks(bytes, 1000);
    expect(events.map((e) => e.type)).toEqual(['garbage', 'frame', 'garbage', 'frame']);
    expect(events[0]).toEqual({ type: 'garbage', bytes: 5 });
    expect(events[2]).toEqual({ type: 'garbage', bytes: 2 });
    expect(payloads(events)).toEqual([MSG_A, MSG_B]);
  });

  it('counts every garbage byte when fed byte by byte', () => {
    const events = decodeInChunks(Buffer.from('xyz' + VT + 'M' + END + '\n'), 1);
    const garbage = events.filter((e) => e.type === 'garbage');
    expect(garbage.reduce((n, e) => n + (e.type === 'garbage' ? e.bytes : 0), 0)).toBe(4);
    expect(payloads(events)).toEqual(['M']);
  });

  it('restarts on a start block inside a frame and reports the bytes discarded', () => {
    const bytes = Buffer.from(VT + 'MSH|partial' + VT + MSG_A + END);
    for (const size of [1, bytes.length]) {
      const events = decodeInChunks(bytes, size);
      expect(events).toEqual([
        { type: 'restart', discarded: 'MSH|partial'.length },
        { type: 'frame', payload: Buffer.from(MSG_A) },
      ]);
    }
  });

  it('keeps a lone FS (not followed by CR) as payload', () => {
    const bytes = Buffer.from(VT + 'A\x1cB' + END);
    for (const size of [1, 2, bytes.length]) {
      expect(payloads(decodeInChunks(bytes, size))).toEqual(['A\x1cB']);
    }
  });

  it('accepts a frame of exactly maxMessageBytes', () => {
    const decoder = new MllpFrameDecoder({ maxMessageBytes: 10 });
    expect(payloads(decoder.push(frame('0123456789')))).toEqual(['0123456789']);
  });

  it('reports an oversize frame with its first bytes and full size, then decodes the next', () => {
    const big = 'MSH|^~\\&|BIG' + 'x'.repeat(5000);
    const bytes = Buffer.concat([frame(big), frame(MSG_B)]);
    for (const size of [1, 100, 4096, bytes.length]) {
      const decoder = new MllpFrameDecoder({ maxMessageBytes: 1000, oversizePrefixBytes: 64 });
      const events = decodeInChunks(bytes, size, decoder);
      expect(events).toEqual([
        { type: 'oversize', prefix: Buffer.from(big.slice(0, 64)), size: big.length },
        { type: 'frame', payload: Buffer.from(MSG_B) },
      ]);
    }
  });

  it('caps the oversize prefix at maxMessageBytes', () => {
    const decoder = new MllpFrameDecoder({ maxMessageBytes: 8, oversizePrefixBytes: 4096 });
    expect(decoder.push(frame('0123456789'))).toEqual([
      { type: 'oversize', prefix: Buffer.from('01234567'), size: 10 },
    ]);
  });

  it('does not hold more than the limit of an oversize frame in memory', () => {
    const decoder = new MllpFrameDecoder({ maxMessageBytes: 100, oversizePrefixBytes: 10 });
    decoder.push(Buffer.from(VT));
    for (let i = 0; i < 100; i++) decoder.push(Buffer.alloc(1000, 0x41));
    // Only the size is tracked; the payload itself is gone.
    expect(decoder.pendingBytes).toBe(100_000);
    const [event] = decoder.push(Buffer.from(END));
    expect(event).toEqual({ type: 'oversize', prefix: Buffer.alloc(10, 0x41), size: 100_000 });
  });

  it('end() drops an unfinished frame and says how many bytes it lost', () => {
    const decoder = new MllpFrameDecoder();
    decoder.push(Buffer.from(VT + 'MSH|abc'));
    expect(decoder.end()).toBe(7);
    expect(decoder.end()).toBe(0);
    expect(payloads(decoder.push(frame(MSG_A)))).toEqual([MSG_A]);
  });

  it('returns a copy that later chunks do not change', () => {
    const decoder = new MllpFrameDecoder();
    const chunk = Buffer.from(VT + 'ABC' + END);
    const [event] = decoder.push(chunk);
    chunk.fill(0);
    expect(event).toEqual({ type: 'frame', payload: Buffer.from('ABC') });
  });
});
