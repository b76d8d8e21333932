import { buildAck, type AckError } from './build-ack.js';
import { DEFAULT_DELIMITERS } from './delimiters.js';
import { isSupportedVersion } from './header.js';
import type { MessageHeader } from './types.js';

/** Options of {@link buildFallbackNak}. */
export interface FallbackNakOptions {
  now?: Date;
  controlId?: string;
  /** MSH-3/MSH-4 of the NAK (the hub's identity). Default: whatever MSH-5/MSH-6 could be read. */
  sendingApplication?: string;
  sendingFacility?: string;
  /** MSH-12 when none can be read. Default `2.5.1`. */
  defaultVersion?: string;
}

const MAX_SCRAPED = 199;

/**
 * A reject (AR) for input whose MSH cannot be parsed at all. Written with the default
 * delimiters `|^~\&`; MSA-2 is whatever MSH-10 can be scraped (or empty), MSH-12 the scraped
 * version when it is a supported one, else `2.5.1`. Never throws.
 */
export function buildFallbackNak(
  raw: string | Buffer,
  reason: AckError,
  options: FallbackNakOptions = {},
): string {
  const fields = scrapeHeader(typeof raw === 'string' ? raw : raw.toString('latin1'));
  const componentSep = usable(fields[2]?.[0]) ?? '^';
  const value = (n: number, component = 0): string | undefined => {
    const text = fields[n]?.split(componentSep)[component]?.trim();
    return text ? text.slice(0, MAX_SCRAPED) : undefined;
  };
  const scrapedVersion = value(12);
  const header: MessageHeader = {
    messageCode: value(9) ?? 'ACK',
    controlId: value(10) ?? '',
    version:
      scrapedVersion && isSupportedVersion(scrapedVersion)
        ? scrapedVersion
        : (options.defaultVersion ?? '2.5.1'),
  };
  const optional = {
    sendingApplication: value(3),
    sendingFacility: value(4),
    receivingApplication: value(5),
    receivingFacility: value(6),
    triggerEvent: value(9, 1),
  };
  for (const [key, v] of Object.entries(optional)) {
    if (v !== undefined) header[key as keyof typeof optional] = v;
  }
  const processingId = value(11);
  if (processingId && /^[DPT]$/.test(processingId)) header.processingId = processingId;
  return buildAck({
    header,
    delimiters: DEFAULT_DELIMITERS,
    code: 'AR',
    error: reason,
    now: options.now,
    controlId: options.controlId,
    sendingApplication: options.sendingApplication,
    sendingFacility: options.sendingFacility,
  });
}

/** The fields of the first MSH line, split on its MSH-1 (else `|`), numbered as in the standard. */
function scrapeHeader(text: string): string[] {
  const at = text.indexOf('MSH');
  if (at < 0) return [];
  let end = at;
  while (end < text.length && text[end] !== '\r' && text[end] !== '\n') end++;
  const line = text.slice(at, end);
  // MSH-1 is the separator: fields[n] is MSH-n when split on it (index 0 = "MSH", 1 = MSH-2).
  const sep = usable(line[3]) ?? '|';
  const parts = line.split(sep);
  return ['MSH', sep, ...parts.slice(1)];
}

/** `c` when it can be a delimiter (printable, not a letter, digit or space). */
function usable(c: string | undefined): string | undefined {
  return c !== undefined && /^[!-/:-@[-`{-~]$/.test(c) ? c : undefined;
}
