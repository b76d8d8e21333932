import { createHmac } from 'node:crypto';
import { safeEqual } from '@caregraph/plugin-sdk';

/** The request header carrying the vendor's signature: `sha256=<hex HMAC of the raw body>`. */
export const SIGNATURE_HEADER = 'x-wearable-signature';

/** The header value the vendor sends for `body` (what a vendor's SDK computes). */
export function sign(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Whether `header` is the signature of the raw body. Compared in constant time, so the
 * response time tells an attacker nothing about how much of a forged signature was right.
 */
export function verifySignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  if (!header) return false;
  return safeEqual(header.trim(), sign(rawBody, secret));
}
