import type { TokenVerifier, VerifiedToken } from './token-verifier.js';

/**
 * Remembers tokens whose signature was verified, until they expire (at most `maxAgeMs`), so
 * a client's repeated requests skip the signature check. The user, active flag and roles are
 * still read from the database on every request.
 */
export function cachingVerifier(
  inner: TokenVerifier,
  options: { maxEntries?: number; maxAgeMs?: number } = {},
): TokenVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const cache = new Map<string, { token: VerifiedToken; until: number }>();
  return {
    async verify(token) {
      const now = Date.now();
      const hit = cache.get(token);
      if (hit && hit.until > now) return hit.token;
      if (hit) cache.delete(token);
      const verified = await inner.verify(token);
      const expiresAt = verified.expiresAt?.getTime() ?? now + maxAgeMs;
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(token, { token: verified, until: Math.min(expiresAt, now + maxAgeMs) });
      return verified;
    },
  };
}
