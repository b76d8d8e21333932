import { parseMessagePath } from './paths.js';
import type { ParsedSegment } from './segment.js';
import type { Delimiters, Hl7Message, Hl7Value, MessageHeader } from './types.js';

/** A parsed message: its segments, header and delimiters, with path accessors. */
export class ParsedMessage implements Hl7Message {
  readonly delimiters: Delimiters;
  readonly header: MessageHeader;
  readonly segments: readonly ParsedSegment[];
  readonly text: string;
  /** The iconv-lite encoding the message was read with (and `\Xhh\` sequences are decoded with). */
  readonly encoding: string;
  private byName: Map<string, ParsedSegment[]> | undefined;

  constructor(init: {
    delimiters: Delimiters;
    header: MessageHeader;
    segments: ParsedSegment[];
    text: string;
    encoding: string;
  }) {
    this.delimiters = init.delimiters;
    this.header = init.header;
    this.segments = init.segments;
    this.text = init.text;
    this.encoding = init.encoding;
  }

  private index(): Map<string, ParsedSegment[]> {
    if (!this.byName) {
      const map = new Map<string, ParsedSegment[]>();
      for (const s of this.segments) {
        const list = map.get(s.name);
        if (list) list.push(s);
        else map.set(s.name, [s]);
      }
      this.byName = map;
    }
    return this.byName;
  }

  segment(name: string): ParsedSegment | undefined {
    return this.index().get(name)?.[0];
  }

  all(name: string): ParsedSegment[] {
    return [...(this.index().get(name) ?? [])];
  }

  /** `PID-3[2].1`, `MSH-9.2`, and `OBX[2]-5` for the second OBX. */
  get(path: string): Hl7Value {
    const p = parseMessagePath(path);
    const segment = this.index().get(p.segment)?.[p.occurrence - 1];
    return segment?.value(p.field, p.repetition, p.component, p.subcomponent);
  }
}
