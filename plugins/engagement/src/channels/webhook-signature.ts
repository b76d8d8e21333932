import { createHmac } from 'node:crypto';
import { safeEqual } from '@caregraph/plugin-sdk';

/** The request header carrying a Twilio-style webhook signature. */
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * The Twilio-style signature of a webhook request: base64 HMAC-SHA1, keyed with the auth token,
 * of the full URL the provider called followed by every POST parameter as name and value,
 * sorted by name (repeated names by value), without separators.
 */
export function twilioSignature(url: string, params: URLSearchParams, authToken: string): string {
  const sorted = [...params].sort(([nameA, valueA], [nameB, valueB]) =>
    nameA === nameB ? compare(valueA, valueB) : compare(nameA, nameB),
  );
  const payload = sorted.reduce((text, [name, value]) => text + name + value, url);
  return createHmac('sha1', authToken).update(payload, 'utf8').digest('base64');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `header` is the signature of the request (compared in constant time). */
export function verifyTwilioSignature(
  url: string,
  params: URLSearchParams,
  header: string | undefined,
  authToken: string,
): boolean {
  if (!header) return false;
  return safeEqual(header.trim(), twilioSignature(url, params, authToken));
}
