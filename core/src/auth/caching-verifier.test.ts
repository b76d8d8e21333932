import { UnauthenticatedError } from '../errors/caregraph-error.js';
import { cachingVerifier } from './caching-verifier.js';
import type { TokenVerifier } from './token-verifier.js';

function countingVerifier(expiresInMs: number): TokenVerifier & { calls: number } {
  const verifier = {
    calls: 0,
    async verify(token: string) {
      verifier.calls++;
      if (token === 'bad') throw UnauthenticatedError.invalidToken();
      return { subject: token, isDevToken: true, expiresAt: new Date(Date.now() + expiresInMs) };
    },
  };
  return verifier;
}

describe('cachingVerifier', () => {
  it('verifies a token once while it is valid', async () => {
    const inner = countingVerifier(60_000);
    const verifier = cachingVerifier(inner);
    await verifier.verify('a');
    await verifier.verify('a');
    expect(inner.calls).toBe(1);
  });

  it('never caches a refused token', async () => {
    const inner = countingVerifier(60_000);
    const verifier = cachingVerifier(inner);
    await expect(verifier.verify('bad')).rejects.toThrow(UnauthenticatedError);
    await expect(verifier.verify('bad')).rejects.toThrow(UnauthenticatedError);
    expect(inner.calls).toBe(2);
  });

  it('checks again once the token has expired', async () => {
    const inner = countingVerifier(5);
    const verifier = cachingVerifier(inner);
    await verifier.verify('a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await verifier.verify('a');
    expect(inner.calls).toBe(2);
  });

  it('stays within its size bound', async () => {
    const inner = countingVerifier(60_000);
    const verifier = cachingVerifier(inner, { maxEntries: 2 });
    for (const token of ['a', 'b', 'c', 'a']) await verifier.verify(token);
    expect(inner.calls).toBe(4);
  });
});
