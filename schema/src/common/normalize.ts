/**
 * Folds a name for case- and accent-insensitive prefix search: NFD-decomposes, drops
 * combining marks, lower-cases, and keeps letters, digits, spaces, apostrophes and hyphens.
 */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' -]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
