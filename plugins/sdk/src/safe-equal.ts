import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();

/**
 * Whether two secrets (a signature, a token) are equal, compared in constant time. Both sides are
 * hashed to the same length first, so neither the time nor an early length check tells an
 * attacker how much of a forged value was right.
 */
export function safeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
