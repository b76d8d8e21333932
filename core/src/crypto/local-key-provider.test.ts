import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../errors/caregraph-error.js';
import { LocalKeyProvider } from './local-key-provider.js';

const context = { tenantId: 't1', purpose: 'data' as const, version: 1 };

describe('LocalKeyProvider', () => {
  it('wraps and unwraps a tenant key bound to its tenant, purpose and version', async () => {
    const master = randomBytes(32);
    const provider = new LocalKeyProvider(master);
    const key = randomBytes(32);
    const wrapped = await provider.wrapKey(key, context);
    expect(wrapped).toMatch(/^lk1:/);
    expect(wrapped).not.toContain(key.toString('base64'));
    expect(await provider.unwrapKey(wrapped, context)).toEqual(key);
    await expect(provider.unwrapKey(wrapped, { ...context, version: 2 })).rejects.toMatchObject({
      code: ErrorCode.MASTER_KEY_INVALID,
    });
    await expect(provider.unwrapKey(wrapped, { ...context, purpose: 'index' })).rejects.toThrow();
  });

  it('has a stable id that does not reveal the key, and refuses another master key', async () => {
    const master = randomBytes(32);
    const provider = new LocalKeyProvider(master);
    expect(new LocalKeyProvider(Buffer.from(master)).masterKeyId).toBe(provider.masterKeyId);
    expect(provider.masterKeyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(master.toString('hex')).not.toContain(provider.masterKeyId.slice(6));
    const wrapped = await provider.wrapKey(randomBytes(32), context);
    const other = new LocalKeyProvider(randomBytes(32));
    await expect(other.unwrapKey(wrapped, context)).rejects.toMatchObject({
      code: ErrorCode.MASTER_KEY_INVALID,
      message: expect.not.stringContaining(master.toString('base64')),
    });
  });

  it('accepts only 256-bit master keys', () => {
    expect(() => new LocalKeyProvider(randomBytes(16))).toThrow(RangeError);
  });
});
