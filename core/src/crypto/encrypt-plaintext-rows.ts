import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/sql';
import { CIPHERTEXT_PREFIX, isCiphertext } from './ciphertext-format.js';
import type { Keyring } from './keyring.js';
import { qualifiedTable, rewriteRows } from './row-rewriter.js';
import { allSensitiveFields } from './sensitive-fields.js';
import { withSystemScope } from '../db/tenant-scope.js';

/**
 * Encrypts every sensitive value still stored as plaintext (rows written before encryption at
 * rest existed, or by a tool that bypassed the hub) and fills missing blind indexes, creating
 * tenant keys where a tenant has none. Runs at every boot after migrating; a no-op (one
 * indexed query per table) once everything is encrypted. Returns rows changed per table.
 */
export async function encryptPlaintextRows(
  orm: MikroORM,
  keyring: Keyring,
  batchSize = 500,
): Promise<Record<string, number>> {
  return withSystemScope(async () => {
    const changed: Record<string, number> = {};
    for (const { meta, fields } of allSensitiveFields(orm.getMetadata())) {
      const conditions = fields.flatMap((f) => [
        `("${f.column}" is not null and "${f.column}" not like '${CIPHERTEXT_PREFIX}:%')`,
        ...(f.blindIndex
          ? [`("${f.column}" is not null and "${f.blindIndex.column}" is null)`]
          : []),
      ]);
      // Keys are created up front: the rewrite below is synchronous per row.
      const tenants = await orm.em
        .getConnection()
        .execute<{ tenant_id: string }[]>(
          `select distinct "tenant_id" from ${qualifiedTable(orm, meta)} where ${conditions.join(' or ')}`,
        );
      for (const { tenant_id: tenantId } of tenants) {
        if (keyring.has(tenantId)) continue;
        try {
          await orm.em.fork().transactional((em) => keyring.createTenantKeys(em, tenantId));
        } catch (error) {
          // Another hub booting at the same moment created them first: use those.
          if (!(error instanceof UniqueConstraintViolationException)) throw error;
          await keyring.load(orm.em.fork(), tenantId);
        }
      }
      if (tenants.length === 0) continue;
      const count = await rewriteRows(orm, meta, fields, {
        where: conditions.join(' or '),
        params: [],
        batchSize,
        rewrite(row) {
          const tenantId = String(row.tenant_id);
          const values: Record<string, unknown> = {};
          for (const field of fields) {
            const stored = row[field.column];
            if (stored === null || stored === undefined) continue;
            const location = {
              tenantId,
              table: field.table,
              column: field.column,
              rowId: String(row.id),
            };
            const plaintext = isCiphertext(stored)
              ? keyring.decrypt(location, stored)
              : String(stored);
            if (!isCiphertext(stored)) values[field.column] = keyring.encrypt(location, plaintext);
            if (field.blindIndex)
              values[field.blindIndex.column] = keyring.blindIndex(tenantId, plaintext);
          }
          return Object.keys(values).length ? values : undefined;
        },
      });
      if (count) changed[meta.tableName] = count;
    }
    return changed;
  });
}
