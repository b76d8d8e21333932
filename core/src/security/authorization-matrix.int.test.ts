/**
 * Issue #3: the generated authorization matrix. For every PHI-bearing Patient field, every role
 * x (on the care team / off the team / with break-glass), the patient themself and a proxy, and
 * two purposes of use, the API must allow or deny exactly as the documented matrix says.
 */
import { getNamedType, isLeafType, isObjectType } from 'graphql';
import { Role, UserKind } from '@caregraph/schema';
import type { Actor } from '../auth/actor.js';
import type { PurposeOfUse } from '../context/request-context.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import {
  careTeamSplit,
  createUserWithRoles,
  seededUser,
  type TestUser,
  actorOfTestUser,
} from '../testing/access-fixtures.js';
import { basisFor, scopesFor, type Relationship } from './access-policy.js';
import { PATIENT_FIELD_CATEGORIES } from './permissions.js';
import { CARE_TEAM_ROLES } from './root-field-access.js';

let t: TestHub;
let patientQuery: string;
let split: Awaited<ReturnType<typeof careTeamSplit>>;
const PURPOSES: PurposeOfUse[] = ['TREAT', 'HPAYMT'];
const STAFF_ROLES = Object.values(Role).filter((role) => role !== Role.PATIENT);

beforeAll(async () => {
  t = await createTestHub();
  split = await careTeamSplit(t);
  const patientType = t.hub.schema.getType('Patient');
  if (!isObjectType(patientType)) throw new Error('no Patient type');
  const fields = Object.values(patientType.getFields()).map((field) =>
    isLeafType(getNamedType(field.type)) ? field.name : `${field.name} { __typename }`,
  );
  patientQuery = `query($id: ID!) { patient(id: $id) { ${fields.join(' ')} } }`;
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const actorOf = (user: TestUser): Actor => actorOfTestUser(t, user);

/** What the documented matrix says for one field. */
function expectedFields(
  user: TestUser,
  relationship: Relationship,
  purpose: PurposeOfUse,
): Record<string, boolean> {
  const actor = actorOf(user);
  const allowed = (category: (typeof PATIENT_FIELD_CATEGORIES)[string]) =>
    basisFor(scopesFor(actor, category, 'read', purpose), relationship) !== undefined;
  const root = allowed('demographics');
  return Object.fromEntries(
    Object.entries(PATIENT_FIELD_CATEGORIES).map(([field, category]) => [
      field,
      root && allowed(category),
    ]),
  );
}

/** What the API did, field by field: allowed unless the field (or the patient) was refused. */
async function actualFields(
  user: TestUser,
  patientId: string,
  purpose: PurposeOfUse,
): Promise<Record<string, boolean>> {
  const res = await t.graphql<{ patient: Record<string, unknown> | null }>(
    patientQuery,
    { id: patientId },
    { token: user.token },
    { 'x-purpose-of-use': purpose },
  );
  const forbidden = new Set<string>();
  for (const error of res.body.errors ?? []) {
    expect(error.extensions?.code).toBe('FORBIDDEN');
    forbidden.add(error.path!.length === 1 ? '*' : String(error.path![1]));
  }
  return Object.fromEntries(
    Object.keys(PATIENT_FIELD_CATEGORIES).map((field) => [
      field,
      !forbidden.has('*') && !forbidden.has(field),
    ]),
  );
}

const none: Relationship = { careTeam: false, self: false, proxy: false };

describe.each(STAFF_ROLES)('role %s', (role) => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUserWithRoles(t, [role], split.practitionerId);
  });

  it.each(PURPOSES)('on the care team, purpose %s', async (purpose) => {
    expect(await actualFields(user, split.onTeam[0]!, purpose)).toEqual(
      expectedFields(user, { ...none, careTeam: true }, purpose),
    );
  });

  it.each(PURPOSES)('off the care team, purpose %s', async (purpose) => {
    expect(await actualFields(user, split.offTeam[0]!, purpose)).toEqual(
      expectedFields(user, none, purpose),
    );
  });

  it('with break-glass (or refused it, for roles that may not break the glass)', async () => {
    const patientId = split.offTeam[1 + STAFF_ROLES.indexOf(role)]!;
    const res = await t.graphql<{ breakGlass: { id: string; expiresAt: string } }>(
      'mutation($p: ID!) { breakGlass(patientId: $p, reason: "Unconscious in the emergency department") { id expiresAt } }',
      { p: patientId },
      { token: user.token },
    );
    const mayBreakGlass = CARE_TEAM_ROLES.includes(role);
    if (mayBreakGlass) expect(res.body.errors).toBeUndefined();
    else expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const relationship = mayBreakGlass
      ? { ...none, breakGlassSessionId: res.body.data!.breakGlass.id }
      : none;
    for (const purpose of PURPOSES)
      expect(await actualFields(user, patientId, purpose)).toEqual(
        expectedFields(user, relationship, purpose),
      );
  });
});

describe('the patient themself', () => {
  let patient: TestUser;
  beforeAll(async () => {
    const seeded = t.seed.users.find((u) => u.roles.includes(Role.PATIENT))!;
    patient = await seededUser(t, seeded.email);
  });

  it('sees their own record per the matrix', async () => {
    expect(await actualFields(patient, patient.patientId!, 'TREAT')).toEqual(
      expectedFields(patient, { ...none, self: true }, 'TREAT'),
    );
    expect(Object.values(expectedFields(patient, { ...none, self: true }, 'TREAT'))).toContain(
      true,
    );
  });

  it('sees nothing of another patient', async () => {
    const other = split.offTeam.find((id) => id !== patient.patientId)!;
    const actual = await actualFields(patient, other, 'TREAT');
    expect(actual).toEqual(expectedFields(patient, none, 'TREAT'));
    expect(Object.values(actual)).not.toContain(true);
  });
});

describe('a proxy (related person with an active proxy consent)', () => {
  let proxy: TestUser;
  let ward: string;
  beforeAll(async () => {
    // The seed creates the patient's account first, then the caregiver's (also role patient).
    const seeded = t.seed.users.filter((u) => u.roles.includes(Role.PATIENT))[1]!;
    proxy = await seededUser(t, seeded.email);
    expect(proxy.kind).toBe(UserKind.RELATED_PERSON);
    const me = await t.graphql<{ me: { proxyFor: { id: string }[] } }>(
      '{ me { proxyFor { id } } }',
      {},
      { token: proxy.token },
    );
    ward = me.body.data!.me.proxyFor[0]!.id;
  });

  it('sees the ward’s record per the matrix, never the sensitive or audit categories', async () => {
    const actual = await actualFields(proxy, ward, 'TREAT');
    expect(actual).toEqual(expectedFields(proxy, { ...none, proxy: true }, 'TREAT'));
    expect(actual.observations).toBe(true);
    expect(actual.accessLog).toBe(false);
  });

  it('sees nothing of another patient', async () => {
    const other = split.offTeam.find((id) => id !== ward)!;
    expect(Object.values(await actualFields(proxy, other, 'TREAT'))).not.toContain(true);
  });
});
