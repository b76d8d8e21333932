import { setTimeout as sleep } from 'node:timers/promises';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/sql';
import { TenantKey } from '@caregraph/schema';
import { appendAuditEvents } from '../audit/audit-chain-append.js';
import { ConflictError, EncryptionError, MasterKeyError } from '../errors/caregraph-error.js';
import { CIPHERTEXT_PREFIX, ciphertextLikePattern } from './ciphertext-format.js';
import type { KeyProvider } from './key-provider.js';
import type { Keyring } from './keyring.js';
import { qualifiedTable, rewriteRows } from './row-rewriter.js';
import { allSensitiveFields } from './sensitive-fields.js';
import { withSystemScope, withTenantScope } from '../db/tenant-scope.js';

/** Options of `rotateDataKey`. */
export interface RotationOptions {
  /** Rows per batch (default 500). */
  batchSize?: number;
  /**
   * How long to wait after activating the new key and again before retiring the old one, so
   * that requests already running on hubs (which see the new version from their next request
   * on) stop writing with the old version. 0 when no hub can be running (embedded database held by this process).
   */
  graceMs?: number;
  /** Progress lines (no values, no keys). */
  log?: (line: string) => void;
}

/** What one tenant's rotation did. */
export interface RotationReport {
  tenantId: string;
  fromVersions: number[];
  toVersion: number;
  rowsReencrypted: number;
}

/** Condition (on one table) for values encrypted with any data key version but `version`. */
function staleCondition(columns: string[], version: number): { sql: string; params: unknown[] } {
  const sql = columns
    .map((c) => `("${c}" like '${CIPHERTEXT_PREFIX}:%' and "${c}" not like ?)`)
    .join(' or ');
  return { sql, params: columns.map(() => ciphertextLikePattern(version)) };
}

async function reencryptTenant(
  orm: MikroORM,
  keyring: Keyring,
  tenantId: string,
  version: number,
  batchSize: number,
): Promise<number> {
  let total = 0;
  for (const { meta, fields } of allSensitiveFields(orm.getMetadata())) {
    const stale = staleCondition(
      fields.map((f) => f.column),
      version,
    );
    total += await rewriteRows(orm, meta, fields, {
      where: `"tenant_id" = ? and (${stale.sql})`,
      params: [tenantId, ...stale.params],
      batchSize,
      rewrite(row) {
        const values: Record<string, unknown> = {};
        for (const field of fields) {
          const stored = row[field.column];
          if (typeof stored !== 'string' || stored.startsWith(`${CIPHERTEXT_PREFIX}:${version}:`))
            continue;
          const location = {
            tenantId,
            table: field.table,
            column: field.column,
            rowId: String(row.id),
          };
          values[field.column] = keyring.encrypt(location, keyring.decrypt(location, stored));
        }
        return Object.keys(values).length ? values : undefined;
      },
    });
  }
  return total;
}

async function countStale(orm: MikroORM, tenantId: string, version: number): Promise<number> {
  let count = 0;
  for (const { meta, fields } of allSensitiveFields(orm.getMetadata())) {
    const stale = staleCondition(
      fields.map((f) => f.column),
      version,
    );
    const [row] = await orm.em
      .getConnection()
      .execute<{ n: string | number }[]>(
        `select count(*) as n from ${qualifiedTable(orm, meta)} where "tenant_id" = ? and (${stale.sql})`,
        [tenantId, ...stale.params],
      );
    count += Number(row?.n ?? 0);
  }
  return count;
}

/**
 * Rotates one tenant's data key online: (1) adds data key version N+1 (wrapped by the master
 * key) as `active` and marks the previous versions `decrypt_only`; (2) after the grace period
 * re-encrypts every encrypted value in batches with compare-and-set updates, while hubs keep
 * serving; (3) after a second grace period sweeps again, checks that no value uses an old
 * version, and retires the old versions (their wrapped keys are deleted). The blind-index key
 * is not rotated, so lookups keep working throughout. Writes a `keys.rotate` audit event.
 */
export async function rotateDataKey(
  orm: MikroORM,
  keyring: Keyring,
  tenantId: string,
  options: RotationOptions = {},
): Promise<RotationReport> {
  return withTenantScope(tenantId, async () => {
    const batchSize = options.batchSize ?? 500;
    const graceMs = options.graceMs ?? 0;
    const log = options.log ?? (() => {});
    if (!(await keyring.load(orm.em.fork(), tenantId)))
      throw EncryptionError.keyUnavailable(tenantId);
    let fromVersions: number[] = [];
    let toVersion = 0;
    let newKey: Buffer | undefined;
    await orm.em.fork().transactional(async (em) => {
      const keys = await em.find(
        TenantKey,
        { tenantId, purpose: 'data' },
        { filters: false, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { version: 'asc' } },
      );
      toVersion = Math.max(0, ...keys.map((k) => k.version)) + 1;
      fromVersions = keys.filter((k) => k.status !== 'retired').map((k) => k.version);
      for (const key of keys) if (key.status === 'active') key.status = 'decrypt_only';
      newKey = await keyring.newKey(em, tenantId, 'data', toVersion);
    });
    keyring.activate(tenantId, toVersion, newKey!);
    log(
      `tenant ${tenantId}: data key version ${toVersion} active (was ${fromVersions.join(', ')})`,
    );
    if (graceMs > 0) {
      log(`tenant ${tenantId}: waiting ${graceMs / 1000} s for running hubs to load it`);
      await sleep(graceMs);
    }
    let rows = await reencryptTenant(orm, keyring, tenantId, toVersion, batchSize);
    if (graceMs > 0) await sleep(graceMs);
    rows += await reencryptTenant(orm, keyring, tenantId, toVersion, batchSize);
    const left = await countStale(orm, tenantId, toVersion);
    if (left > 0)
      throw ConflictError.because(
        `Tenant ${tenantId}: ${left} values still use an old data key (a hub kept writing with it); old versions are kept. Run "caregraph keys rotate" again with a longer --grace.`,
      );
    await orm.em.fork().transactional(async (em: EntityManager) => {
      await em.nativeUpdate(
        TenantKey,
        { tenantId, purpose: 'data', version: { $lt: toVersion }, status: { $ne: 'retired' } },
        { status: 'retired', wrappedKey: null, retiredAt: new Date() },
        { filters: false },
      );
      await appendAuditEvents(em, tenantId, [
        {
          action: 'E',
          type: 'keys.rotate',
          actorRoles: [],
          entity: `TenantKey/${tenantId}`,
          detail: { fromVersions, toVersion, rowsReencrypted: rows },
        },
      ]);
    });
    return { tenantId, fromVersions, toVersion, rowsReencrypted: rows };
  });
}

/**
 * Re-wraps every stored tenant key (data and blind-index, all live versions) from the master
 * key of `from` to the master key of `to`, in one transaction. The keys themselves, and so all
 * ciphertext, stay the same. Returns the number of keys re-wrapped.
 */
export async function rewrapTenantKeys(
  orm: MikroORM,
  from: KeyProvider,
  to: KeyProvider,
): Promise<number> {
  return withSystemScope(async () => {
    return orm.em.fork().transactional(async (em) => {
      const keys = await em.find(
        TenantKey,
        { wrappedKey: { $ne: null } },
        { filters: false, lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      let count = 0;
      for (const key of keys) {
        if (key.masterKeyId === to.masterKeyId) continue;
        if (key.masterKeyId !== from.masterKeyId)
          throw MasterKeyError.mismatch(from.masterKeyId, key.masterKeyId);
        const context = { tenantId: key.tenantId, purpose: key.purpose, version: key.version };
        const plain = await from.unwrapKey(key.wrappedKey!, context);
        key.wrappedKey = await to.wrapKey(plain, context);
        key.masterKeyId = to.masterKeyId;
        count += 1;
      }
      return count;
    });
  });
}
