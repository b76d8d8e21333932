import { decodeEscapes } from './escapes.js';
import { parseFieldPath } from './paths.js';
import type { Delimiters, ErrorLocation, Hl7Segment, Hl7Value } from './types.js';

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
  /** 1-based occurrence among the segments of this name (ERR-2 / ERL-2 "segment sequence"). */
  readonly occurrence: number;
  private readonly ctx: SegmentContext;
  private parts: string[] | undefined;

  constructor(raw: string, index: number, ctx: SegmentContext, occurrence = 1) {
    this.raw = raw;
    this.name = raw.slice(0, 3);
    this.index = index;
    this.ctx = ctx;
    this.occurrence = occurrence;
  }

  /** An {@link ErrorLocation} in this segment, for an `Hl7Error` raised while mapping it. */
  location(field?: number, component?: number): ErrorLocation {
    const location: ErrorLocation = { segment: this.name, sequence: this.occurrence };
    if (field !== undefined) location.field = field;
    if (component !== undefined) location.component = component;
    return location;
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

  /**
   * The number of fields up to the last one with a value (MSH counts MSH-1): trailing fields
   * that are empty or only separators (`^^~`) are not counted.
   */
  get fieldCount(): number {
    const parts = this.split();
    let last = parts.length - 1;
    while (last > 0 && this.blank(parts[last]!)) last--;
    return this.isHeader ? last + 1 : last;
  }

  private blank(raw: string): boolean {
    const d = this.ctx.delimiters;
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c !== d.component && c !== d.repetition && c !== d.subcomponent) return false;
    }
    return true;
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

  /** Every repetition of field `n`; trailing empty repetitions, components and sub-components are dropped. */
  repetitions(n: number): Hl7Value[][][] {
    const raw = this.rawField(n);
    if (raw === undefined || raw === '') return [];
    if (n <= 2 && (this.isHeader || n === 0)) return [[[raw]]];
    const d = this.ctx.delimiters;
    const reps = raw.split(d.repetition).map((rep) => {
      if (rep === HL7_NULL) return [[null]];
      const comps = rep.split(d.component).map((comp) => {
        if (comp === HL7_NULL) return [null];
        return trimTrailing(
          comp.split(d.subcomponent).map((sub) => this.leaf(sub)),
          isEmptyValue,
        );
      });
      return trimTrailing(comps, isEmptyComponent);
    });
    return trimTrailing(reps, (rep) => rep.every(isEmptyComponent));
  }

  private leaf(sub: string | undefined): Hl7Value {
    if (sub === undefined || sub === '') return undefined;
    if (sub === HL7_NULL) return null;
    return decodeEscapes(sub, this.ctx.delimiters, this.ctx.encoding);
  }
}

const isEmptyValue = (v: Hl7Value): boolean => v === undefined;
const isEmptyComponent = (c: Hl7Value[]): boolean => c.every(isEmptyValue);

/** Drops trailing empty entries (they mean nothing in HL7), keeping at least one. */
function trimTrailing<T>(list: T[], empty: (item: T) => boolean): T[] {
  let end = list.length;
  while (end > 1 && empty(list[end - 1]!)) end--;
  return end === list.length ? list : list.slice(0, end);
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
