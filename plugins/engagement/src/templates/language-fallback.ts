/** The language every tenant can fall back to last. */
export const LAST_RESORT_LANGUAGE = 'en';

/**
 * The canonical form of a BCP 47 tag without its extensions (`es-mx-u-ca-gregory` → `es-MX`),
 * or undefined when `tag` is not a well-formed tag (patient data can hold anything).
 */
export function canonicalLanguage(tag: string | undefined): string | undefined {
  if (!tag?.trim()) return undefined;
  if (canonicalTags.has(tag)) return canonicalTags.get(tag);
  let canonical: string | undefined;
  try {
    canonical = new Intl.Locale(tag.trim()).baseName;
  } catch {
    canonical = undefined;
  }
  // Choosing a template compares every template's tag with the recipient's, per message: the
  // few tags a tenant uses are parsed once (bounded: patient data can hold anything).
  if (canonicalTags.size >= CANONICAL_CACHE_SIZE) canonicalTags.clear();
  canonicalTags.set(tag, canonical);
  return canonical;
}

const CANONICAL_CACHE_SIZE = 1_000;
const canonicalTags = new Map<string, string | undefined>();

/**
 * A tag and its truncations, most specific first, as RFC 4647 "lookup" does:
 * `zh-Hant-TW` → `zh-Hant-TW`, `zh-Hant`, `zh`. Empty for a malformed tag.
 */
export function languageTruncations(tag: string | undefined): string[] {
  const canonical = canonicalLanguage(tag);
  if (!canonical) return [];
  const subtags = canonical.split('-');
  return subtags.map((_, i) => subtags.slice(0, subtags.length - i).join('-'));
}

/**
 * The languages to try for a recipient, in order: their preferred language and its truncations,
 * then the tenant's default language and its truncations, then English. No duplicates.
 */
export function languageFallbackChain(
  preferred: string | undefined,
  tenantDefault: string | undefined,
): string[] {
  return [
    ...new Set([
      ...languageTruncations(preferred),
      ...languageTruncations(tenantDefault),
      LAST_RESORT_LANGUAGE,
    ]),
  ];
}

/** Whether two tags name the same language (case-insensitively, after canonicalisation). */
export function sameLanguage(a: string, b: string): boolean {
  const left = canonicalLanguage(a);
  return left !== undefined && left === canonicalLanguage(b);
}
