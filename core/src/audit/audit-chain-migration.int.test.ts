import { randomUUID } from 'node:crypto';
import { createOrm, type MikroORM } from '../db/create-orm.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { verifyAuditChain } from './verify-audit-chain.js';

let database: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  database = await createTestDatabase({ empty: true });
  orm = await createOrm(database.target);
}, 120_000);

afterAll(async () => {
  await orm?.close();
  await database?.dispose();
});

it('the audit_hash_chain migration seals audit rows written before it (#3)', async () => {
  await orm.migrator.up({ to: 'Migration20261124071419_identifier_value_index' });
  const tenants = [randomUUID(), randomUUID()];
  const connection = orm.em.getConnection();
  for (const [i, tenantId] of [tenants[0], tenants[0], tenants[1], tenants[0]].entries()) {
    await connection.execute(
      `insert into audit_event (id, tenant_id, recorded_at, action, type, outcome, actor_roles, detail)
       values (?, ?, ?::timestamptz, 'C', 'task.create', '0', '["nurse"]'::jsonb, ?::jsonb)`,
      [
        randomUUID(),
        tenantId,
        new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        '{"b":1,"a":[2]}',
      ],
    );
  }
  await orm.migrator.up();
  expect(await verifyAuditChain(orm)).toMatchObject({
    ok: true,
    tenants: 2,
    events: 4,
    problems: [],
  });
});
