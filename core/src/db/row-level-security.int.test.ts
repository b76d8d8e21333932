import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Transaction } from '@mikro-orm/core';
import { Role } from '@caregraph/schema';
import type { CareGraphConfig } from '../config/config-schema.js';
import { ErrorCode } from '../errors/caregraph-error.js';
import { createLogger } from '../logging/logger.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { createOrm } from './create-orm.js';
import { checkRowLevelSecurity, roleBypassesRowLevelSecurity } from './row-level-security-check.js';
import { TENANT_ISOLATION_POLICY } from './tenant-isolation.js';
import {
  currentTenantSetting,
  SYSTEM_SCOPE_SETTING,
  TENANT_SETTING,
  withSystemScope,
  withTenantScope,
} from './tenant-scope.js';

let t: TestHub;
const onPostgres = () => t.database.target.kind === 'postgres';

/** Tables with a tenant_id column, as the database sees them. */
async function tenantTables(): Promise<string[]> {
  const rows = await t.hub.orm.em.getConnection().execute<{ table_name: string }[]>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables tb using (table_schema, table_name)
      where c.table_schema = current_schema() and c.column_name = 'tenant_id'
        and tb.table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((row) => row.table_name);
}

/**
 * Runs statements as an ordinary role (bound by the policies) with `caregraph.tenant_id` set to
 * `setting`, or never set. On PostgreSQL that is a fresh client of the role the hub connects as
 * (the tables' owner); on PGlite, whose only user is a superuser, a role made for the probe.
 */
async function asOrdinaryRole<T>(
  setting: string | undefined,
  work: (
    query: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>,
  ) => Promise<T>,
): Promise<T> {
  if (t.database.target.kind === 'postgres') {
    const client = new pg.Client({ connectionString: t.database.target.url });
    await client.connect();
    try {
      if (setting !== undefined)
        await client.query('select set_config($1, $2, false)', [TENANT_SETTING, setting]);
      // Same `?` placeholders as the ORM's connection.
      const numbered = (sql: string) => {
        let n = 0;
        return sql.replace(/\?/g, () => `$${++n}`);
      };
      return await work(async (sql, params) => (await client.query(numbered(sql), params)).rows);
    } finally {
      await client.end();
    }
  }
  const connection = t.hub.orm.em.getConnection();
  return connection.transactional(async (trx: Transaction) => {
    const run = (sql: string, params: unknown[] = []) =>
      connection.execute<Record<string, unknown>[]>(sql, params, 'all', trx);
    await run('set local role cg_rls_probe');
    if (setting !== undefined)
      await run(`select set_config(?, ?, true)`, [TENANT_SETTING, setting]);
    return work(run); // the role and the setting end with the transaction
  });
}

/** Row counts per tenant table, as the server's admin (no row-level security) sees them. */
async function adminCounts(tables: string[], tenantId?: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await withSystemScope(async () => {
    for (const table of tables) {
      const [row] = await t.hub.orm.em
        .getConnection()
        .execute<{ n: string }[]>(
          `select count(*) as n from "${table}"${tenantId ? ' where tenant_id = ?' : ''}`,
          tenantId ? [tenantId] : [],
        );
      counts[table] = Number(row.n);
    }
  });
  return counts;
}

async function countsAs(setting: string | undefined, tables: string[]) {
  return asOrdinaryRole(setting, async (query) => {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await query(`select count(*) as n from "${table}"`);
      counts[table] = Number(row.n);
    }
    return counts;
  });
}

beforeAll(async () => {
  t = await createTestHub();
  if (!onPostgres()) {
    await t.hub.orm.em.getConnection().execute(`create role cg_rls_probe nologin`);
    await t.hub.orm.em
      .getConnection()
      .execute(
        `grant select, insert, update, delete on all tables in schema public to cg_rls_probe`,
      );
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('row-level security (the second tenant wall)', () => {
  it('is enabled and forced, with the tenant policy, on every table that has a tenant_id', async () => {
    const tables = await tenantTables();
    expect(tables.length).toBeGreaterThanOrEqual(30);
    const rows = await t.hub.orm.em
      .getConnection()
      .execute<{ relname: string; enabled: boolean; forced: boolean; policies: string[] }[]>(
        `select c.relname, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
              coalesce(array_agg(p.polname::text) filter (where p.polname is not null), '{}') as policies
         from pg_class c left join pg_policy p on p.polrelid = c.oid
        where c.relnamespace = current_schema()::regnamespace and c.relname in (?)
        group by c.relname, c.relrowsecurity, c.relforcerowsecurity order by 1`,
        [tables],
      );
    expect(rows.map((row) => row.relname)).toEqual(tables);
    for (const row of rows) {
      expect({ table: row.relname, enabled: row.enabled, forced: row.forced }).toEqual({
        table: row.relname,
        enabled: true,
        forced: true,
      });
      expect(row.policies).toEqual([TENANT_ISOLATION_POLICY]);
    }
  });

  it('lets a raw query without the tenant setting see no rows at all', async () => {
    const tables = await tenantTables();
    const present = await adminCounts(tables);
    expect(present.patient).toBeGreaterThan(0);
    expect(present.user).toBeGreaterThan(0);
    const none = Object.fromEntries(tables.map((table) => [table, 0]));
    expect(await countsAs(undefined, tables)).toEqual(none);
    expect(await countsAs('', tables)).toEqual(none);
  });

  it("shows exactly the named tenant's rows, and nothing for another tenant", async () => {
    const tables = await tenantTables();
    expect(await countsAs(t.seed.tenantId, tables)).toEqual(
      await adminCounts(tables, t.seed.tenantId),
    );
    expect(await countsAs(randomUUID(), tables)).toEqual(
      Object.fromEntries(tables.map((table) => [table, 0])),
    );
  });

  it("refuses to write a row into another tenant than the connection's", async () => {
    const otherTenant = randomUUID();
    await expect(
      asOrdinaryRole(t.seed.tenantId, (query) =>
        query(
          `insert into audit_chain_head (tenant_id, sequence, hash) values (?, 0, repeat('0', 64))`,
          [otherTenant],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    // Nor can a row be moved to another tenant.
    await expect(
      asOrdinaryRole(t.seed.tenantId, (query) =>
        query(`update patient set tenant_id = ? where tenant_id = ?`, [
          otherTenant,
          t.seed.tenantId,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('rejects a setting that is neither a tenant id, "*" nor empty instead of guessing', async () => {
    await expect(countsAs('not-a-tenant', ['patient'])).rejects.toThrow(/uuid/i);
  });
});

describe("the hub's connections", () => {
  const settingSeen = async () => {
    const [row] = await t.hub.orm.em
      .getConnection()
      .execute<{ value: string | null }[]>(`select current_setting(?, true) as value`, [
        TENANT_SETTING,
      ]);
    return row.value ?? '';
  };

  it("carry the tenant of the scope that uses them (PostgreSQL: the hub's pool)", async () => {
    const expected = (setting: string) => (onPostgres() ? setting : '');
    expect(await withTenantScope(t.seed.tenantId, settingSeen)).toBe(expected(t.seed.tenantId));
    expect(await withSystemScope(settingSeen)).toBe(expected(SYSTEM_SCOPE_SETTING));
    // Outside any scope a connection is reset to "no tenant", whatever its last user set.
    expect(currentTenantSetting()).toBe('');
    expect(await settingSeen()).toBe('');
  });

  it('are bound by row-level security on PostgreSQL (the test role is no superuser)', async () => {
    const { bypasses } = await roleBypassesRowLevelSecurity(t.hub.orm);
    expect(bypasses).toBe(!onPostgres());
    // And the hub still serves its tenant's data through them.
    const response = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
      `{ patients(first: 3) { edges { node { id } } } }`,
      {},
      { role: Role.PHYSICIAN },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.patients.edges).toHaveLength(3);
  });

  it('stop a production boot when the role bypasses row-level security, unless allowed', async () => {
    const logger = createLogger({ level: 'silent' });
    const config = { ...t.hub.config, nodeEnv: 'production' } as CareGraphConfig;
    // The admin role of the server (PGlite's only user is one too) is a superuser.
    const admin = onPostgres()
      ? await createOrm({ kind: 'postgres', url: t.database.url! })
      : t.hub.orm;
    try {
      await expect(
        checkRowLevelSecurity(admin, { kind: 'postgres', url: 'checked' }, config, logger),
      ).rejects.toMatchObject({ code: ErrorCode.DATABASE_ROLE_BYPASSES_RLS });
      await expect(
        checkRowLevelSecurity(
          admin,
          { kind: 'postgres', url: 'checked' },
          { ...config, allowRlsBypass: true },
          logger,
        ),
      ).resolves.toBeUndefined();
      if (onPostgres())
        await expect(
          checkRowLevelSecurity(t.hub.orm, t.database.target, config, logger),
        ).resolves.toBeUndefined();
    } finally {
      if (admin !== t.hub.orm) await admin.close();
    }
  });
});
