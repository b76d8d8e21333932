import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { TenantKey, type TenantKeyPurpose } from '@caregraph/schema';
import {
  EncryptionError,
  MasterKeyError,
  type EncryptedFieldRef,
} from '../errors/caregraph-error.js';
import { KEY_BYTES, openAesGcm, sealAesGcm } from './aes-gcm.js';
import { computeBlindIndex } from './blind-index.js';
import {
  fieldAad,
  formatCiphertext,
  parseCiphertext,
  type FieldLocation,
} from './ciphertext-format.js';
import type { KeyProvider } from './key-provider.js';
import { withSystemScope, withTenantScope } from '../db/tenant-scope.js';

interface TenantKeys {
  active: number;
  data: Map<number, Buffer>;
  index: Buffer;
  checkedAt: number;
}

/** Options of a keyring. */
export interface KeyringOptions {
  /**
   * How old a tenant's keys may be before `refreshIfStale` re-reads them anyway (default 10
   * minutes; the hub learns of rotations from `noteActiveVersion` on every request).
   */
  refreshAfterMs?: number;
}

/**
 * The unwrapped keys of each tenant, in memory only: versioned data keys (AES-256-GCM) and one
 * blind-index key (HMAC-SHA256). Loading is asynchronous (the key provider unwraps); once a
 * tenant's keys are loaded, `encrypt`, `decrypt` and `blindIndex` are synchronous, so the ORM
 * hooks and the raw-SQL read path call them per row.
 */
export class Keyring {
  readonly #tenants = new Map<string, TenantKeys>();
  readonly #stale = new Set<string>();
  readonly #refreshing = new Map<string, Promise<boolean>>();
  #source?: () => EntityManager;
  readonly #refreshAfterMs: number;

  constructor(
    readonly provider: KeyProvider,
    options: KeyringOptions = {},
  ) {
    this.#refreshAfterMs = options.refreshAfterMs ?? 600_000;
  }

  /**
   * Where to re-read keys from on its own: when a value names a version it does not know (a
   * rotation started elsewhere), the keyring re-reads that tenant's keys in the background, so
   * even a hub that only serves subscriptions catches up.
   */
  refreshFrom(source: () => EntityManager): void {
    this.#source = source;
  }

  /**
   * Tells the keyring which data key version is active in the database for a tenant (the hub
   * reads it with the user of each request); a version it does not have as active marks the
   * tenant's keys for a re-read.
   */
  noteActiveVersion(tenantId: string, version: number | null): void {
    if (version === null) return;
    const keys = this.#tenants.get(tenantId);
    if (!keys || keys.active !== version) this.#stale.add(tenantId);
  }

  /** Whether the keys of a tenant are loaded. */
  has(tenantId: string): boolean {
    return this.#tenants.has(tenantId);
  }

  /** The data key version that encrypts new values of a tenant. */
  activeVersion(tenantId: string): number {
    return this.#keys(tenantId).active;
  }

  /** Encrypts a field value with the tenant's active data key: `cg1:<version>:<base64>`. */
  encrypt(location: FieldLocation, plaintext: string): string {
    const keys = this.#keys(location.tenantId);
    const key = keys.data.get(keys.active)!;
    return formatCiphertext(
      keys.active,
      sealAesGcm(key, Buffer.from(plaintext, 'utf8'), fieldAad(location)),
    );
  }

  /** Decrypts a stored field value; throws a coded EncryptionError (never with the value). */
  decrypt(location: FieldLocation, stored: string): string {
    const ref: EncryptedFieldRef = { table: location.table, column: location.column };
    const parsed = parseCiphertext(stored);
    if (!parsed) throw EncryptionError.notCiphertext(ref);
    const key = this.#keys(location.tenantId).data.get(parsed.version);
    if (!key) {
      this.#stale.add(location.tenantId); // a rotation may have added it: re-read
      if (this.#source) this.refreshIfStale(location.tenantId).catch(() => undefined);
      throw EncryptionError.keyUnavailable(location.tenantId, parsed.version);
    }
    const plaintext = openAesGcm(key, parsed.sealed, fieldAad(location));
    if (!plaintext) throw EncryptionError.decryptFailed(ref);
    return plaintext.toString('utf8');
  }

  /** The keyed blind index of a value for a tenant (see `computeBlindIndex`). */
  blindIndex(tenantId: string, value: string): string {
    return computeBlindIndex(this.#keys(tenantId).index, value);
  }

  #keys(tenantId: string): TenantKeys {
    const keys = this.#tenants.get(tenantId);
    if (!keys) throw EncryptionError.keyUnavailable(tenantId);
    return keys;
  }

  /** Loads (or reloads) the keys of every tenant that has any; returns how many tenants. */
  async loadAll(em: EntityManager): Promise<number> {
    const rows = await withSystemScope(() =>
      em.find(
        TenantKey,
        { status: { $ne: 'retired' } },
        { filters: false, orderBy: { tenantId: 'asc', version: 'asc' } },
      ),
    );
    const byTenant = new Map<string, TenantKey[]>();
    for (const row of rows)
      byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
    for (const [tenantId, keys] of byTenant) await this.#install(tenantId, keys);
    return byTenant.size;
  }

  /** Loads (or reloads) one tenant's keys; false when the tenant has none yet. */
  async load(em: EntityManager, tenantId: string): Promise<boolean> {
    const rows = await withTenantScope(tenantId, () =>
      em.find(
        TenantKey,
        { tenantId, status: { $ne: 'retired' } },
        { filters: false, orderBy: { version: 'asc' }, refresh: true },
      ),
    );
    if (rows.length === 0) return false;
    await this.#install(tenantId, rows);
    return true;
  }

  /**
   * Re-reads a tenant's keys when they were last read more than `refreshAfterMs` ago or a value
   * named an unknown version, so a hub picks up a rotation that another process started. Reads
   * through `em`, else through the source given to `refreshFrom` (forked only when needed).
   */
  async refreshIfStale(tenantId: string, em?: EntityManager): Promise<void> {
    const keys = this.#tenants.get(tenantId);
    if (keys && !this.#stale.has(tenantId) && Date.now() - keys.checkedAt < this.#refreshAfterMs)
      return;
    // Concurrent requests of a tenant share one re-read.
    let pending = this.#refreshing.get(tenantId);
    if (!pending) {
      const source = em ?? this.#source?.();
      if (!source) return;
      this.#stale.delete(tenantId);
      pending = this.load(source, tenantId).finally(() => this.#refreshing.delete(tenantId));
      this.#refreshing.set(tenantId, pending);
    }
    await pending;
  }

  async #install(tenantId: string, rows: TenantKey[]): Promise<void> {
    const previous = this.#tenants.get(tenantId);
    const data = new Map<number, Buffer>();
    let active: number | undefined;
    let index: Buffer | undefined;
    for (const row of rows) {
      if (!row.wrappedKey) continue;
      if (row.purpose === 'data' && row.status === 'active') active = row.version;
      const cached = row.purpose === 'data' ? previous?.data.get(row.version) : previous?.index;
      const key = cached ?? (await this.#unwrap(row));
      if (row.purpose === 'data') data.set(row.version, key);
      else if (row.status === 'active') index = key;
    }
    if (active === undefined || !index) throw EncryptionError.keyUnavailable(tenantId);
    this.#tenants.set(tenantId, { active, data, index, checkedAt: Date.now() });
  }

  async #unwrap(row: TenantKey): Promise<Buffer> {
    if (row.masterKeyId !== this.provider.masterKeyId)
      throw MasterKeyError.mismatch(this.provider.masterKeyId, row.masterKeyId);
    return this.provider.unwrapKey(row.wrappedKey!, {
      tenantId: row.tenantId,
      purpose: row.purpose,
      version: row.version,
    });
  }

  /**
   * Creates a tenant's first data key and its blind-index key (wrapped, in `em`'s transaction)
   * and loads them. Does nothing for a tenant that already has keys.
   */
  async createTenantKeys(em: EntityManager, tenantId: string): Promise<void> {
    if (await this.load(em, tenantId)) return;
    const data = await this.newKey(em, tenantId, 'data', 1);
    const index = await this.newKey(em, tenantId, 'index', 1);
    await em.flush();
    this.#tenants.set(tenantId, {
      active: 1,
      data: new Map([[1, data]]),
      index,
      checkedAt: Date.now(),
    });
  }

  /** Generates a key, persists it wrapped (`em.create`, not flushed) and returns it unwrapped. */
  async newKey(
    em: EntityManager,
    tenantId: string,
    purpose: TenantKeyPurpose,
    version: number,
  ): Promise<Buffer> {
    const key = randomBytes(KEY_BYTES);
    em.create(TenantKey, {
      tenantId,
      purpose,
      version,
      status: 'active',
      wrappedKey: await this.provider.wrapKey(key, { tenantId, purpose, version }),
      masterKeyId: this.provider.masterKeyId,
    });
    return key;
  }

  /** Overwrites and forgets every unwrapped key (the hub does this when it stops). */
  clear(): void {
    for (const keys of this.#tenants.values()) {
      for (const key of keys.data.values()) key.fill(0);
      keys.index.fill(0);
    }
    this.#tenants.clear();
    this.#source = undefined;
  }

  /** Adds a data key version to the in-memory ring and makes it active (key rotation). */
  activate(tenantId: string, version: number, key: Buffer): void {
    const keys = this.#keys(tenantId);
    keys.data.set(version, key);
    keys.active = version;
  }
}
