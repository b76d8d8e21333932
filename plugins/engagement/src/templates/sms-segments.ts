/**
 * SMS length in segments, as carriers bill it. A text that only uses the GSM 03.38 alphabet is
 * sent as GSM-7 (160 septets in one message, 153 per segment of a longer one, the rest being the
 * concatenation header); any other character switches the whole text to UCS-2 (70 UTF-16 units,
 * 67 per segment). A character is never split across segments (an extension-table character
 * takes two septets, an astral character such as an emoji two UTF-16 units).
 */
export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/** The GSM 03.38 default alphabet (127 characters; the 128th code is the escape). */
export const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: each costs an escape septet plus its own. */
export const GSM7_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

const LIMITS = {
  'GSM-7': { single: 160, perSegment: 153 },
  'UCS-2': { single: 70, perSegment: 67 },
} as const;

/** How many segments `text` takes as an SMS, and in which encoding. */
export function smsSegments(text: string): SmsSegments {
  const characters = [...text];
  const gsm = characters.every((c) => basic.has(c) || extension.has(c));
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  const cost = (c: string) => (gsm ? (extension.has(c) ? 2 : 1) : c.length);
  const units = characters.reduce((sum, c) => sum + cost(c), 0);
  const { single, perSegment } = LIMITS[encoding];
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  let segments = 1;
  let used = 0;
  for (const c of characters) {
    if (used + cost(c) > perSegment) {
      segments += 1;
      used = 0;
    }
    used += cost(c);
  }
  return { encoding, units, segments };
}
