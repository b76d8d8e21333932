import { randomBytes, randomUUID } from 'node:crypto';
import { Coverage, Patient, PatientIdentifier, Task } from '@caregraph/schema';
import { createOrm, forkForTenant, migrateDatabase, type MikroORM } from '../db/create-orm.js';
import { ErrorCode } from '../errors/caregraph-error.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { withSystemScope, withTenantScope } from '../db/tenant-scope.js';
import { Keyring } from './keyring.js';
import { LocalKeyProvider } from './local-key-provider.js';

let database: TestDatabase;
let orm: MikroORM;
let keyring: Keyring;
const statements: string[] = [];
const tenantId = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase();
  keyring = new Keyring(new LocalKeyProvider(randomBytes(32)));
  orm = await createOrm(database.target, { keyring, onQuery: (sql) => statements.push(sql) });
  await migrateDatabase(orm);
  await withTenantScope(tenantId, () =>
    orm.em.fork().transactional((em) => keyring.createTenantKeys(em, tenantId)),
  );
});
afterAll(async () => {
  await orm?.close();
  await database?.dispose();
});

/** Raw SQL across tenants, to see what is stored. */
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  withSystemScope(() => orm.em.getConnection().execute<T[]>(query, params));

describe('field encryption through the ORM (#3)', () => {
  it('writes ciphertext, keeps plaintext in the entity, and does not rewrite unchanged values', () =>
    withTenantScope(tenantId, async () => {
      const em = forkForTenant(orm, tenantId);
      const patient = em.create(Patient, { tenantId, names: [] });
      const task = em.create(Task, {
        tenantId,
        patient,
        title: 'Call',
        description: 'Discuss A1c',
      });
      const identifier = em.create(PatientIdentifier, {
        tenantId,
        patient,
        system: 'http://hl7.org/fhir/sid/us-ssn',
        value: '900-11-2222',
      });
      await em.flush();
      expect(task.description).toBe('Discuss A1c');
      expect(identifier.valueIndex).toBe(keyring.blindIndex(tenantId, '900-11-2222'));
      const [row] = await sql<{ description: string }>(
        'select description from task where id = ?',
        [task.id],
      );
      expect(row!.description).toMatch(/^cg1:1:/);

      statements.length = 0;
      await em.flush(); // nothing changed: no statement at all
      task.outcome = 'Reached';
      await em.flush();
      const updates = statements.filter((s) => /update "task"/.test(s));
      expect(updates).toHaveLength(1);
      expect(updates.join('\n')).not.toContain('Reached');
      const [updated] = await sql<{ description: string; outcome: string }>(
        'select description, outcome from task where id = ?',
        [task.id],
      );
      expect(updated!.description).toBe(row!.description); // untouched column not rewritten
      expect(updated!.outcome).toMatch(/^cg1:1:/);
    }));

  it('decrypts what it loads, and a loaded entity flushes no change', () =>
    withTenantScope(tenantId, async () => {
      const em = forkForTenant(orm, tenantId);
      const task = await em.findOneOrFail(Task, { title: 'Call' });
      expect([task.description, task.outcome]).toEqual(['Discuss A1c', 'Reached']);
      statements.length = 0;
      await em.flush();
      expect(statements.filter((s) => /update/.test(s))).toEqual([]);
      const found = await em.findOneOrFail(PatientIdentifier, {
        valueIndex: keyring.blindIndex(tenantId, '900-11-2222'),
      });
      expect(found.value).toBe('900-11-2222');
      expect(found.patient.id).toBe(task.patient.id);
    }));

  it('stores null as null and clears the blind index with the value', () =>
    withTenantScope(tenantId, async () => {
      const em = forkForTenant(orm, tenantId);
      const patient = await em.findOneOrFail(Patient, {});
      const coverage = em.create(Coverage, { tenantId, patient, payor: 'Acme', memberId: 'M123' });
      await em.flush();
      coverage.memberId = undefined;
      await em.flush();
      const [row] = await sql<{ member_id: string | null }>(
        'select member_id from coverage where id = ?',
        [coverage.id],
      );
      expect(row!.member_id).toBeNull();
    }));

  it('refuses to write a sensitive field for a tenant whose keys are not loaded', () => {
    const other = randomUUID();
    return withTenantScope(other, async () => {
      const em = forkForTenant(orm, other);
      const patient = em.create(Patient, { tenantId: other, names: [] });
      em.create(Task, { tenantId: other, patient, title: 'x', description: 'secret' });
      await expect(em.flush()).rejects.toMatchObject({ code: ErrorCode.KEY_UNAVAILABLE });
      expect(
        (
          await sql<{ n: number }>('select count(*)::int as n from task where tenant_id = ?', [
            other,
          ])
        )[0]!.n,
      ).toBe(0);
    });
  });
});
