/**
 * Splits rows loaded for many DataLoader keys into one list per key, in key order (one pass,
 * rows keep their order within a key).
 */
export function groupByKey<T>(
  keys: readonly string[],
  rows: readonly T[],
  keyOf: (row: T, index: number) => string,
): T[][] {
  const byKey = new Map<string, T[]>(keys.map((key) => [key, []]));
  rows.forEach((row, index) => byKey.get(keyOf(row, index))?.push(row));
  return keys.map((key) => byKey.get(key) ?? []);
}
