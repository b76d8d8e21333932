import { decodeEscapes } from './escapes.js';
import { parseFieldPath } from './paths.js';
import type { Delimiters, Hl7Segment, Hl7Value } from './types.js';

/** What the segments of one message share. */
export interface SegmentContext {
  delimiters: Delimiters;
  /** iconv-lite encoding for `\Xhh\` sequences. */
  encoding: string;
}

/** The HL7 null `""`: "clear this value". */
const HL7_NULL = '""';

/**
 * One segment of a parsed message. Fields are split on first access and values decoded when
 * read, so a message whose mapping reads ten fields costs ten decodings, not a thousand.
 */
export class ParsedSegment implements Hl7Segment {
  readonly name: string;
  readonly index: number;
  /** The segment as received (escapes not decoded), without its terminator. */
  readonly raw: string;
  private readonly ctx: SegmentContext;
  private parts: string[] | undefined;

  constructor(raw: string, index: number, ctx: SegmentContext) {
    this.raw = raw;
    this.name = raw.slice(0, 3);
    this.index = index;
    this.ctx = ctx;
  }

  private get isHeader(): boolean {
    return this.name === 'MSH' || this.name === 'FHS' || this.name === 'BHS';
  }

  private split(): string[] {
    if (!this.parts) this.parts = this.raw.split(this.ctx.delimiters.field);
    return this.parts;
  }

  /**
   * Field `n` as sent (escapes not decoded, repetitions not split), or `undefined` when absent.
   * MSH-1 is the field separator and MSH-2 the encoding characters.
   */
  rawField(n: number): string | undefined {
    if (n === 0) return this.name;
    if (this.isHeader) {
      if (n === 1) return this.ctx.delimiters.field;
      return this.split()[n - 1];
    }
    return this.split()[n];
  }

  /** The number of fields up to the last non-empty one (MSH counts MSH-1). */
  get fieldCount(): number {
    const parts = this.split();
    let last = parts.length - 1;
    while (last > 0 && parts[last] === '') last--;
    return this.isHeader ? last + 1 : last;
  }

  get(path: string): Hl7Value {
    const p = parseFieldPath(path);
    return this.value(p.field, p.repetition, p.component, p.subcomponent);
  }

  /** A value by position (1-based); `""` at any level gives `null`, empty or absent `undefined`. */
  value(field: number, repetition = 1, component = 1, subcomponent = 1): Hl7Value {
    const raw = this.rawField(field);
    if (raw === undefined || raw === '') return undefined;
    if (field <= 2 && (this.isHeader || field === 0)) {
      return repetition === 1 && component === 1 && subcomponent === 1 ? raw : undefined;
    }
    if (raw === HL7_NULL) return null;
    const d = this.ctx.delimiters;
    const rep = pick(raw, d.repetition, repetition);
    if (rep === undefined || rep === '') return undefined;
    if (rep === HL7_NULL) return null;
    const comp = pick(rep, d.component, component);
    if (comp === undefined || comp === '') return undefined;
    if (comp === HL7_NULL) return null;
    const sub = pick(comp, d.subcomponent, subcomponent);
    return this.leaf(sub);
  }

  repetitions(n: number): Hl7Value[][][] {
    const raw = this.rawField(n);
    if (raw === undefined || raw === '') return [];
    if (n <= 2 && (this.isHeader || n === 0)) return [[[raw]]];
    const d = this.ctx.delimiters;
    return raw.split(d.repetition).map((rep) => {
      if (rep === HL7_NULL) return [[null]];
      return rep.split(d.component).map((comp) => {
        if (comp === HL7_NULL) return [null];
        return comp.split(d.subcomponent).map((sub) => this.leaf(sub));
      });
    });
  }

  private leaf(sub: string | undefined): Hl7Value {
    if (sub === undefined || sub === '') return undefined;
    if (sub === HL7_NULL) return null;
    return decodeEscapes(sub, this.ctx.delimiters, this.ctx.encoding);
  }
}

/** The `n`th (1-based) piece of `text` split on `sep`, without splitting the whole string. */
function pick(text: string, sep: string, n: number): string | undefined {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const next = text.indexOf(sep, start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = text.indexOf(sep, start);
  return end < 0 ? text.slice(start) : text.slice(start, end);
}
