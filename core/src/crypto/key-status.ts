import type { MikroORM } from '@mikro-orm/sql';
import { TenantKey, type TenantKeyPurpose, type TenantKeyStatus } from '@caregraph/schema';
import { CIPHERTEXT_PREFIX } from './ciphertext-format.js';
import { qualifiedTable } from './row-rewriter.js';
import { allSensitiveFields } from './sensitive-fields.js';
import { withSystemScope } from '../db/tenant-scope.js';

/** The keys of one tenant and how many stored values each data key version encrypts. */
export interface TenantKeyStatusReport {
  tenantId: string;
  keys: {
    purpose: TenantKeyPurpose;
    version: number;
    status: TenantKeyStatus;
    masterKeyId: string;
  }[];
  /** Encrypted values per data key version. */
  valuesByVersion: Record<number, number>;
  /** Values of encrypted columns that are not ciphertext (0 once the hub has booted). */
  plaintextValues: number;
}

/** Reports each tenant's key versions and what uses them (no key material, no values). */
export async function tenantKeyStatus(orm: MikroORM): Promise<TenantKeyStatusReport[]> {
  return withSystemScope(async () => {
    const keys = await orm.em
      .fork()
      .find(
        TenantKey,
        {},
        { filters: false, orderBy: { tenantId: 'asc', purpose: 'asc', version: 'asc' } },
      );
    const reports = new Map<string, TenantKeyStatusReport>();
    const reportOf = (tenantId: string) => {
      let report = reports.get(tenantId);
      if (!report) {
        report = { tenantId, keys: [], valuesByVersion: {}, plaintextValues: 0 };
        reports.set(tenantId, report);
      }
      return report;
    };
    for (const key of keys)
      reportOf(key.tenantId).keys.push({
        purpose: key.purpose,
        version: key.version,
        status: key.status,
        masterKeyId: key.masterKeyId,
      });
    for (const { meta, fields } of allSensitiveFields(orm.getMetadata())) {
      for (const field of fields) {
        const rows = await orm.em
          .getConnection()
          .execute<{ tenant_id: string; version: string | null; n: string | number }[]>(
            `select "tenant_id", substring("${field.column}" from '^${CIPHERTEXT_PREFIX}:([0-9]+):') as version, count(*) as n
           from ${qualifiedTable(orm, meta)} where "${field.column}" is not null group by 1, 2`,
          );
        for (const row of rows) {
          const report = reportOf(row.tenant_id);
          if (row.version === null) report.plaintextValues += Number(row.n);
          else
            report.valuesByVersion[Number(row.version)] =
              (report.valuesByVersion[Number(row.version)] ?? 0) + Number(row.n);
        }
      }
    }
    return [...reports.values()];
  });
}
