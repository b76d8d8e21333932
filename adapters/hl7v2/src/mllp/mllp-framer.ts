/**
 * MLLP framing (HL7 v2 Minimal Lower Layer Protocol, release 2): a message travels as
 * `0x0B <payload> 0x1C 0x0D`. The decoder takes bytes in any chunking and yields whole frames; the
 * encoder wraps a payload. No HL7 parsing happens here: payloads are bytes in the sender's charset.
 */

/** Start block, `<VT>`. */
export const MLLP_START_BLOCK = 0x0b;
/** End block, `<FS>`, followed by {@link MLLP_END_CR}. */
export const MLLP_END_BLOCK = 0x1c;
/** Carriage return that closes a frame after {@link MLLP_END_BLOCK}. */
export const MLLP_END_CR = 0x0d;

/** Default limit of a frame's payload: 1 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
/** Default number of bytes of an oversize frame that are kept (room for MSH, to build a NAK). */
export const DEFAULT_OVERSIZE_PREFIX_BYTES = 4096;

/**
 * What the decoder found in the bytes it was given, in stream order.
 *
 * - `frame`: a complete payload (without the start and end blocks).
 * - `oversize`: a complete frame whose payload (`size` bytes) exceeded the limit; `prefix` holds
 *   its first bytes (up to `oversizePrefixBytes`), enough to read MSH and answer with a NAK.
 * - `garbage`: `bytes` bytes outside any frame were discarded (stray CR/LF, noise).
 * - `restart`: a start block arrived inside a frame; the `discarded` bytes of the unfinished
 *   frame were dropped and a new frame began (the sender gave up on the first one).
 */
export type MllpFrameEvent =
  | { type: 'frame'; payload: Buffer }
  | { type: 'oversize'; prefix: Buffer; size: number }
  | { type: 'garbage'; bytes: number }
  | { type: 'restart'; discarded: number };

/** Limits of {@link MllpFrameDecoder}. */
export interface MllpFrameDecoderOptions {
  /** Largest payload accepted, in bytes (default 1 MiB). */
  maxMessageBytes?: number;
  /** Bytes of an oversize payload kept for the caller (default 4 KiB, at most `maxMessageBytes`). */
  oversizePrefixBytes?: number;
}

/**
 * Wraps `payload` in an MLLP frame. A string is encoded as UTF-8; for another charset (MSH-18)
 * encode it first (iconv-lite) and pass the Buffer.
 */
export function frame(payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = MLLP_START_BLOCK;
  body.copy(out, 1);
  out[body.length + 1] = MLLP_END_BLOCK;
  out[body.length + 2] = MLLP_END_CR;
  return out;
}

/**
 * Streaming MLLP decoder: feed it chunks with {@link push}, get the events of what completed.
 * Memory stays bounded by `maxMessageBytes` plus one chunk, whatever the sender does.
 */
export class MllpFrameDecoder {
  readonly maxMessageBytes: number;
  readonly oversizePrefixBytes: number;

  private inFrame = false;
  /** The previous chunk ended with 0x1C inside a frame: the next byte decides. */
  private pendingEndBlock = false;
  private parts: Buffer[] = [];
  /** Payload bytes of the current frame so far (all of them, kept or not). */
  private size = 0;
  /** Set once the current frame passed the limit: its kept first bytes. */
  private oversizePrefix: Buffer | undefined;

  constructor(options: MllpFrameDecoderOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.oversizePrefixBytes = Math.min(
      options.oversizePrefixBytes ?? DEFAULT_OVERSIZE_PREFIX_BYTES,
      this.maxMessageBytes,
    );
  }

  /** Bytes of an unfinished frame held (0 between frames): what `end` would drop. */
  get pendingBytes(): number {
    return this.inFrame ? this.size + (this.pendingEndBlock ? 1 : 0) : 0;
  }

  /** Decodes `chunk`; returns what it completed, in order (often nothing, or several frames). */
  push(chunk: Buffer): MllpFrameEvent[] {
    const events: MllpFrameEvent[] = [];
    let i = 0;
    if (this.pendingEndBlock && chunk.length > 0) {
      this.pendingEndBlock = false;
      if (chunk[0] === MLLP_END_CR) {
        events.push(this.finishFrame());
        i = 1;
      } else {
        this.append(Buffer.of(MLLP_END_BLOCK), 0, 1);
      }
    }
    while (i < chunk.length) {
      if (!this.inFrame) {
        const start = chunk.indexOf(MLLP_START_BLOCK, i);
        const end = start === -1 ? chunk.length : start;
        if (end > i) events.push({ type: 'garbage', bytes: end - i });
        if (start === -1) break;
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      const next = nextControl(chunk, i);
      if (next === -1) {
        this.append(chunk, i, chunk.length);
        break;
      }
      this.append(chunk, i, next);
      if (chunk[next] === MLLP_START_BLOCK) {
        events.push({ type: 'restart', discarded: this.size });
        this.reset();
        this.inFrame = true;
        i = next + 1;
      } else if (next + 1 === chunk.length) {
        this.pendingEndBlock = true;
        i = chunk.length;
      } else if (chunk[next + 1] === MLLP_END_CR) {
        events.push(this.finishFrame());
        i = next + 2;
      } else {
        // 0x1C not followed by CR is not an end: keep it as payload, as the standard requires.
        this.append(chunk, next, next + 1);
        i = next + 1;
      }
    }
    return events;
  }

  /**
   * The stream ended: drops an unfinished frame and returns how many of its bytes were lost
   * (0 when the stream ended between frames).
   */
  end(): number {
    const lost = this.pendingBytes;
    this.reset();
    return lost;
  }

  private append(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    const previous = this.size;
    this.size += to - from;
    if (this.oversizePrefix) return;
    if (this.size <= this.maxMessageBytes) {
      this.parts.push(chunk.subarray(from, to));
      return;
    }
    // Past the limit: keep only the first bytes; everything else is dropped until the end block.
    const missing = Math.max(0, this.oversizePrefixBytes - previous);
    const kept = Buffer.concat(this.parts, Math.min(previous, this.oversizePrefixBytes));
    this.oversizePrefix = Buffer.concat([kept, chunk.subarray(from, from + missing)]);
    this.parts = [];
  }

  private finishFrame(): MllpFrameEvent {
    const event: MllpFrameEvent = this.oversizePrefix
      ? { type: 'oversize', prefix: this.oversizePrefix, size: this.size }
      : // Copied: a payload must not pin the socket's read buffers.
        { type: 'frame', payload: Buffer.concat(this.parts, this.size) };
    this.reset();
    return event;
  }

  private reset(): void {
    this.inFrame = false;
    this.pendingEndBlock = false;
    this.parts = [];
    this.size = 0;
    this.oversizePrefix = undefined;
  }
}

/** Index of the next start or end block in `chunk` from `from`, or -1. */
function nextControl(chunk: Buffer, from: number): number {
  const end = chunk.indexOf(MLLP_END_BLOCK, from);
  const start = chunk.indexOf(MLLP_START_BLOCK, from);
  if (end === -1) return start;
  if (start === -1) return end;
  return Math.min(start, end);
}
