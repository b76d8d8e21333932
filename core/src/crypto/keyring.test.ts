import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import type { TenantKey } from '@caregraph/schema';
import { ErrorCode } from '../errors/caregraph-error.js';
import { Keyring } from './keyring.js';
import { LocalKeyProvider } from './local-key-provider.js';

/** An EntityManager stand-in that keeps TenantKey rows in an array. */
function memoryEm(rows: TenantKey[] = []): EntityManager & { rows: TenantKey[] } {
  return {
    rows,
    async find(_entity: unknown, where: { tenantId?: string }) {
      return rows
        .filter((r) => r.status !== 'retired' && (!where.tenantId || r.tenantId === where.tenantId))
        .sort((a, b) => a.version - b.version);
    },
    create(_entity: unknown, data: TenantKey) {
      rows.push({ ...data });
      return data;
    },
    async flush() {},
  } as never;
}

/** Tenant ids are UUIDs (the database scope of a key load checks it). */
const TENANT = '6f1f8a52-0d8e-4d0e-9c1a-3b6f2d1e0a11';
const place = { tenantId: TENANT, table: 'task', column: 'description', rowId: 'r1' };

describe('Keyring', () => {
  it('creates a tenant key pair, encrypts synchronously and decrypts after a restart', async () => {
    const provider = new LocalKeyProvider(randomBytes(32));
    const em = memoryEm();
    const keyring = new Keyring(provider);
    await keyring.createTenantKeys(em, TENANT);
    expect(em.rows.map((r) => [r.purpose, r.version, r.status])).toEqual([
      ['data', 1, 'active'],
      ['index', 1, 'active'],
    ]);
    expect(em.rows.every((r) => r.wrappedKey?.startsWith('lk1:'))).toBe(true);
    const stored = keyring.encrypt(place, 'call the patient');
    expect(stored).toMatch(/^cg1:1:/);
    const restarted = new Keyring(provider);
    expect(await restarted.loadAll(em)).toBe(1);
    expect(restarted.decrypt(place, stored)).toBe('call the patient');
    expect(restarted.blindIndex(TENANT, 'x')).toBe(keyring.blindIndex(TENANT, 'x'));
  });

  it('decrypts old versions after a new one is activated, and refuses unknown versions', async () => {
    const em = memoryEm();
    const keyring = new Keyring(new LocalKeyProvider(randomBytes(32)));
    await keyring.createTenantKeys(em, TENANT);
    const v1 = keyring.encrypt(place, 'one');
    keyring.activate(TENANT, 2, await keyring.newKey(em, TENANT, 'data', 2));
    const v2 = keyring.encrypt(place, 'two');
    expect(v2).toMatch(/^cg1:2:/);
    expect([keyring.decrypt(place, v1), keyring.decrypt(place, v2)]).toEqual(['one', 'two']);
    expect(() => keyring.decrypt(place, v2.replace('cg1:2:', 'cg1:9:'))).toThrow(
      expect.objectContaining({ code: ErrorCode.KEY_UNAVAILABLE }),
    );
    expect(() => keyring.decrypt({ ...place, rowId: 'r2' }, v1)).toThrow(
      expect.objectContaining({ code: ErrorCode.DECRYPT_FAILED }),
    );
  });

  it('refuses keys wrapped by another master key, and forgets everything on clear', async () => {
    const em = memoryEm();
    const keyring = new Keyring(new LocalKeyProvider(randomBytes(32)));
    await keyring.createTenantKeys(em, TENANT);
    await expect(
      new Keyring(new LocalKeyProvider(randomBytes(32))).loadAll(em),
    ).rejects.toMatchObject({ code: ErrorCode.MASTER_KEY_INVALID });
    keyring.clear();
    expect(keyring.has(TENANT)).toBe(false);
    expect(() => keyring.encrypt(place, 'x')).toThrow(
      expect.objectContaining({ code: ErrorCode.KEY_UNAVAILABLE }),
    );
  });
});
