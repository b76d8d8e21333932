/**
 * Plugin API 1.5.0: plugins guard PHI with core's own rules. A `patient` permission checks the
 * patient named by an argument (role, purpose of use and care relationship), a `category`
 * permission the role and purpose only, and `TenantScope.mayRead` decides per patient inside a
 * resolver; each decision, refusals included, lands in the operation's access audit.
 */
import { Role } from '@caregraph/schema';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';
import { careTeamSplit, createUserWithRoles, type TestUser } from '../testing/access-fixtures.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

@Resolver()
class ChartNoteResolver {
  constructor(private readonly plugin: PluginContext) {}

  @Query(() => String)
  fixtureNoteOf(@Arg('patientId', () => ID) patientId: string): string {
    return `note of ${patientId}`;
  }

  @Query(() => Boolean)
  async fixtureMayRead(
    @Arg('patientId', () => ID) patientId: string,
    @Ctx() request: unknown,
  ): Promise<boolean> {
    return this.plugin.asCaller(request).mayRead(patientId, 'clinical');
  }
}

const notes = definePlugin({
  id: 'chart-notes',
  version: '1.0.0',
  apiVersion: '^1.5.0',
  resolvers: [ChartNoteResolver],
  permissions: {
    Query: {
      fixtureNoteOf: { kind: 'patient', category: 'clinical', argument: 'patientId' },
      fixtureMayRead: { kind: 'category', category: 'clinical' },
    },
  },
});

let t: TestHub;
let clinician: TestUser;
let onTeam: string;
let offTeam: string;

beforeAll(async () => {
  t = await createTestHub({ plugins: [notes] });
  const split = await careTeamSplit(t);
  clinician = await createUserWithRoles(t, [Role.NURSE], split.practitionerId);
  onTeam = split.onTeam[0]!;
  offTeam = split.offTeam[0]!;
});

afterAll(async () => {
  await t?.stop();
});

async function clinicalReads(patientId: string) {
  return t.sql<{ outcome: string; detail: unknown }>(
    `select outcome, detail from audit_event where tenant_id = ? and type = 'patient.read'
     and patient_id = ? and actor_user_id = ? order by recorded_at`,
    [t.seed.tenantId, patientId, clinician.userId],
  );
}

const detailOf = (row: { detail: unknown }) =>
  (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown>;

it('a patient rule lets a clinician reach their care team patients only, audited', async () => {
  const query = 'query($id: ID!) { fixtureNoteOf(patientId: $id) }';
  const allowed = await t.graphql(query, { id: onTeam }, { token: clinician.token });
  expect(allowed.body).toEqual({ data: { fixtureNoteOf: `note of ${onTeam}` } });
  const refused = await t.graphql(query, { id: offTeam }, { token: clinician.token });
  expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  const [granted] = await clinicalReads(onTeam);
  expect(granted!.outcome).toBe('0');
  expect(detailOf(granted!)).toMatchObject({ categories: ['clinical'], basis: ['careTeam'] });
  const [denied] = await clinicalReads(offTeam);
  expect(denied!.outcome).toBe('8');
  expect(detailOf(denied!)).toMatchObject({ categories: [], denied: ['clinical'] });
});

it('a category rule checks the role; mayRead decides the patient and is audited', async () => {
  const query = 'query($id: ID!) { fixtureMayRead(patientId: $id) }';
  const frontDesk = await t.graphql(query, { id: onTeam }, { role: Role.FRONT_DESK });
  expect(frontDesk.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  const before = (await clinicalReads(offTeam)).length;
  const on = await t.graphql(query, { id: onTeam }, { token: clinician.token });
  const off = await t.graphql(query, { id: offTeam }, { token: clinician.token });
  expect([on.body.data, off.body.data]).toEqual([
    { fixtureMayRead: true },
    { fixtureMayRead: false },
  ]);
  const after = await clinicalReads(offTeam);
  expect(after).toHaveLength(before + 1);
  expect(after.at(-1)!.outcome).toBe('8');
});
