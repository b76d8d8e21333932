/** Prefix of every encrypted field value: the format version. */
export const CIPHERTEXT_PREFIX = 'cg1';

const PATTERN = /^cg1:(\d{1,9}):([A-Za-z0-9+/]+={0,2})$/;

/** Where a field value lives; bound into the AAD so a value moved elsewhere fails to decrypt. */
export interface FieldLocation {
  tenantId: string;
  table: string;
  column: string;
  /** Primary key of the row. */
  rowId: string;
}

/** `cg1:<data key version>:<base64 of iv | ciphertext | tag>`. */
export function formatCiphertext(version: number, sealed: Buffer): string {
  return `${CIPHERTEXT_PREFIX}:${version}:${sealed.toString('base64')}`;
}

/** Splits a stored value into key version and sealed bytes; undefined if it is not ciphertext. */
export function parseCiphertext(text: string): { version: number; sealed: Buffer } | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  return { version: Number(match[1]), sealed: Buffer.from(match[2]!, 'base64') };
}

/** Whether a stored value has the ciphertext format (it says nothing about its integrity). */
export function isCiphertext(value: unknown): value is string {
  return typeof value === 'string' && PATTERN.test(value);
}

/** The SQL `LIKE` pattern of values encrypted with one data key version. */
export function ciphertextLikePattern(version: number): string {
  return `${CIPHERTEXT_PREFIX}:${version}:%`;
}

/** Additional authenticated data of a field value: tenant, table, column and row. */
export function fieldAad(location: FieldLocation): Buffer {
  return Buffer.from(
    ['caregraph-field-v1', location.tenantId, location.table, location.column, location.rowId].join(
      '\0',
    ),
    'utf8',
  );
}
