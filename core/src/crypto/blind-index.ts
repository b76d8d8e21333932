import { createHmac } from 'node:crypto';

/**
 * A keyed blind index of a value: hex HMAC-SHA256 under the tenant's index key, over the
 * NFC-normalised value. Equal values give equal indexes (exact-match lookup); without the key
 * the index reveals nothing about the value, and indexes of different tenants never match.
 */
export function computeBlindIndex(indexKey: Buffer, value: string): string {
  return createHmac('sha256', indexKey).update(value.normalize('NFC'), 'utf8').digest('hex');
}
