import HL7 from 'hl7-standard';
import type { Hl7Adapter } from './adapter-entry.js';
import type { GeneratedMessage } from './messages.js';

/**
 * The parse-only baselines of hl7-ingest, on one core of the run's process: how many of the
 * run's messages per second a parser reads, with no I/O. `hl7-standard` parses the whole
 * message (`transform`) and reads MSH-10; CareGraph's own parser is lazy, so its figure is
 * parse and map (the adapter's `mapMessage`, which reads every field it maps), the CPU part of
 * the hub's work per message that does not depend on the database.
 */

/** A parse-only result. */
export interface ParseResult {
  messages: number;
  seconds: number;
  /** Messages whose control id did not read back (a parser bug: the figure is then void). */
  mismatches: number;
}

function loop(
  messages: GeneratedMessage[],
  seconds: number,
  parse: (message: GeneratedMessage) => boolean,
): ParseResult {
  // A short warm-up so the JIT has compiled the parser before the clock starts.
  for (let i = 0; i < Math.min(messages.length, 2_000); i++) parse(messages[i]!);
  const started = performance.now();
  const end = started + seconds * 1000;
  let count = 0;
  let mismatches = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) {
      if (!parse(messages[count % messages.length]!)) mismatches++;
      count++;
    }
  }
  return { messages: count, seconds: (performance.now() - started) / 1000, mismatches };
}

/** hl7-standard: `new HL7(text).transform()`, then MSH-10. */
export function hl7StandardRate(messages: GeneratedMessage[], seconds: number): ParseResult {
  return loop(messages, seconds, (m) => {
    const hl7 = new HL7(m.text);
    hl7.transform();
    return hl7.get('MSH.10') === m.case.controlId;
  });
}

/** CareGraph's parser and mapping: `parseMessage`, then `mapMessage`. */
export function careGraphParseMapRate(
  adapter: Hl7Adapter,
  messages: GeneratedMessage[],
  seconds: number,
): ParseResult {
  return loop(messages, seconds, (m) => {
    const parsed = adapter.parseMessage(m.text);
    const record = adapter.mapMessage(parsed, { defaultTimeZone: 'UTC' });
    return parsed.get('MSH-10') === m.case.controlId && record.kind !== 'not-mapped';
  });
}
