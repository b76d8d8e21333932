import { randomUUID } from 'node:crypto';
import { Patient, Role, Tenant, User, UserKind } from '@caregraph/schema';
import { mintDevToken } from '../auth/dev-token.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { forkForTenant } from './create-orm.js';
import { withSystemScope, withTenantScope } from './tenant-scope.js';

/**
 * Two tenants in one database: the demo clinic (A) and a second clinic (B) set up here, whose
 * front desk registers a patient through the API. Neither sees the other, through GraphQL
 * (the tenant filter) or, on PostgreSQL, through a query that forgets the filter (row-level
 * security).
 */
let t: TestHub;
let onPostgres: boolean;
const tenantB = randomUUID();
const MRN = 'urn:caregraph:second-clinic:mrn';
let frontDeskB: string;
let patientB: string;

const CREATE = `mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }`;
const BY_ID = `query($id: ID!) { patient(id: $id) { id } }`;
const BY_IDENTIFIER = `query($s: String!, $v: String!) { patientByIdentifier(system: $s, value: $v) { id } }`;
const SEARCH = `query($name: String!) { patients(search: { name: $name }) { edges { node { id } } } }`;

beforeAll(async () => {
  t = await createTestHub();
  onPostgres = t.database.target.kind === 'postgres';
  await withSystemScope(async () => {
    const em = t.hub.orm.em.fork();
    em.create(Tenant, { id: tenantB, slug: `second-clinic-${tenantB.slice(0, 8)}`, name: 'B' });
    await em.flush();
  });
  frontDeskB = await withTenantScope(tenantB, async () => {
    const em = forkForTenant(t.hub.orm, tenantB);
    await em.transactional((tx) => t.hub.keyring.createTenantKeys(tx as never, tenantB));
    const user = em.create(User, {
      tenantId: tenantB,
      email: 'front-desk@second-clinic.example',
      displayName: 'Front desk B',
      kind: UserKind.STAFF,
      roles: [Role.FRONT_DESK],
    });
    await em.flush();
    return mintDevToken(t.hub.devSigningKey!, { userId: user.id, tenantId: tenantB }, '1h');
  });
  const created = await t.graphql<{ createPatient: { id: string } }>(
    CREATE,
    {
      input: {
        names: [{ family: 'Zanzibar-Quill', given: ['Odile'] }],
        birthDate: '1980-04-05',
        identifiers: [{ system: MRN, value: 'B-0001' }],
      },
    },
    { token: frontDeskB },
  );
  expect(created.body.errors).toBeUndefined();
  patientB = created.body.data!.createPatient.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('tenant isolation (#3)', () => {
  it("keeps the second tenant's patient out of the first tenant's GraphQL, every way of asking", async () => {
    for (const role of [Role.ADMIN, Role.FRONT_DESK, Role.PHYSICIAN]) {
      const byId = await t.graphql<{ patient: unknown }>(BY_ID, { id: patientB }, { role });
      expect([role, byId.body.data?.patient ?? null]).toEqual([role, null]);
      const byIdentifier = await t.graphql<{ patientByIdentifier: unknown }>(
        BY_IDENTIFIER,
        { s: MRN, v: 'B-0001' },
        { role },
      );
      expect([role, byIdentifier.body.data?.patientByIdentifier ?? null]).toEqual([role, null]);
      const search = await t.graphql<{ patients: { edges: unknown[] } }>(
        SEARCH,
        { name: 'zanzibar' },
        { role },
      );
      expect([role, search.body.data?.patients.edges]).toEqual([role, []]);
    }
  });

  it('serves the second tenant its own patient and none of the first', async () => {
    const own = await t.graphql<{ patient: { id: string } }>(
      BY_ID,
      { id: patientB },
      { token: frontDeskB },
    );
    expect(own.body.data?.patient).toEqual({ id: patientB });
    const demoPatient = await t.inTenant((em) => em.findOneOrFail(Patient, {}));
    const foreign = await t.graphql<{ patient: unknown }>(
      BY_ID,
      { id: demoPatient.id },
      { token: frontDeskB },
    );
    expect(foreign.body.data?.patient ?? null).toBeNull();
  });

  it('on PostgreSQL hides the other tenant even from a query that switches the tenant filter off', async () => {
    // An application bug: a query in tenant A's scope without the ORM's tenant filter.
    const seen = await t.inTenant(async (em) =>
      (await em.find(Patient, {}, { filters: false, fields: ['id', 'tenantId'] })).map(
        (patient) => patient.tenantId,
      ),
    );
    expect(seen).toContain(t.seed.tenantId);
    // Embedded PGlite runs as its superuser, which PostgreSQL exempts from the policies: there
    // the tenant filter is the only wall (docs/security.md#tenants).
    expect(seen.includes(tenantB)).toBe(!onPostgres);
    const raw = await t.sql<{ id: string }>('select id from patient where id = ?', [patientB]);
    expect(raw.length).toBe(onPostgres ? 0 : 1);
    const updated = await t.sql<{ id: string }>(
      `update patient set active = false where id = ? returning id`,
      [patientB],
    );
    expect(updated.length).toBe(onPostgres ? 0 : 1);
    await t.sql('update patient set active = true where id = ?', [patientB]);
  });
});
