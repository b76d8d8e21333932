/**
 * Issue #3, in the issue's own words: front desk, billing, analyst and integration accounts see
 * only their categories; a clinician outside the care team sees clinical data only after
 * breaking the glass, which is time-boxed, audited, announced and reviewed; purpose of use
 * narrows what a clinician sees.
 */
import { Role } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { careTeamSplit, createUserWithRoles } from '../testing/access-fixtures.js';
import { openSubscription } from '../testing/subscription-client.js';

let t: TestHub;
let split: Awaited<ReturnType<typeof careTeamSplit>>;
/** A physician and a nurse with the care relationships of one specialist practitioner. */
let physician: { token: string };
let nurse: { token: string };

beforeAll(async () => {
  t = await createTestHub();
  split = await careTeamSplit(t);
  physician = await createUserWithRoles(t, [Role.PHYSICIAN], split.practitionerId);
  nurse = await createUserWithRoles(t, [Role.NURSE], split.practitionerId);
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const CHART = `query($id: ID!) { patient(id: $id) {
  id name { text } identifiers { value } telecom { value } appointments(first: 1) { edges { node { id } } }
  careTeams { id } coverages(first: 1) { edges { node { id } } } observations(first: 1) { edges { node { id } } }
} }`;

/** The fields the API refused, by name. */
async function refusedFields(
  as: { role: Role } | { token: string },
  patientId: string,
  purpose = 'TREAT',
): Promise<string[]> {
  const res = await t.graphql(CHART, { id: patientId }, as, { 'x-purpose-of-use': purpose });
  return (res.body.errors ?? [])
    .map((error) => {
      expect(error.extensions?.code).toBe('FORBIDDEN');
      return error.path!.length === 1 ? '*' : String(error.path![1]);
    })
    .sort();
}

const hcompl = { 'x-purpose-of-use': 'HCOMPL' };

it('front desk sees demographics, contact and appointments only', async () => {
  expect(await refusedFields({ role: Role.FRONT_DESK }, split.offTeam[0]!)).toEqual([
    'careTeams',
    'coverages',
    'observations',
  ]);
});

it('billing sees demographics and coverage only', async () => {
  expect(await refusedFields({ role: Role.BILLING }, split.offTeam[0]!, 'HPAYMT')).toEqual([
    'appointments',
    'careTeams',
    'observations',
    'telecom',
  ]);
});

it('integration accounts see demographics and contact, never clinical data', async () => {
  expect(await refusedFields({ role: Role.INTEGRATION }, split.onTeam[0]!)).toEqual([
    'appointments',
    'careTeams',
    'coverages',
    'observations',
  ]);
});

it('analysts reach no patient and get de-identified counts with small cells suppressed', async () => {
  expect(await refusedFields({ role: Role.ANALYST }, split.onTeam[0]!, 'HRESCH')).toEqual(['*']);
  const search = await t.graphql(
    '{ patients(first: 1) { edges { node { id } } } }',
    {},
    {
      role: Role.ANALYST,
    },
  );
  expect(search.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const res = await t.graphql<{
    populationSummary: {
      patientCount: number;
      minCellSize: number;
      genders: { key: string; count: number | null; suppressed: boolean }[];
      ageBands: { key: string; count: number | null; suppressed: boolean }[];
      conditions: { key: string; count: number | null; suppressed: boolean }[];
    };
  }>(
    '{ populationSummary { patientCount minCellSize genders { key count suppressed } ageBands { key count suppressed } conditions { key label count suppressed } } }',
    {},
    { role: Role.ANALYST },
    { 'x-purpose-of-use': 'HRESCH' },
  );
  expect(res.body.errors).toBeUndefined();
  const summary = res.body.data!.populationSummary;
  expect(summary.patientCount).toBe(t.seed.patientCount);
  for (const bucket of [...summary.genders, ...summary.ageBands, ...summary.conditions]) {
    if (bucket.suppressed) expect(bucket.count).toBeNull();
    else expect(bucket.count).toBeGreaterThanOrEqual(summary.minCellSize);
  }
  expect([...summary.ageBands, ...summary.conditions].some((b) => b.suppressed)).toBe(true);
  const treating = await t.graphql(
    '{ populationSummary { patientCount } }',
    {},
    {
      role: Role.ANALYST,
    },
  );
  expect(treating.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('a clinician on the team asking for payment sees demographics and coverage, not results', async () => {
  expect(await refusedFields(physician, split.onTeam[0]!, 'HPAYMT')).toEqual([
    'appointments',
    'careTeams',
    'observations',
    'telecom',
  ]);
  expect(await refusedFields(physician, split.onTeam[0]!)).toEqual([]);
});

describe('break-the-glass', () => {
  const BREAK =
    'mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r) { id status expiresAt startedAt patient { id } user { displayName } } }';
  type Session = { id: string; status: string; expiresAt: string; startedAt: string };

  it('refuses a too-short reason with BAD_USER_INPUT on reason, and an on-team patient with CONFLICT', async () => {
    const short = await t.graphql(BREAK, { p: split.offTeam[0], r: 'now' }, physician);
    expect(short.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      invalidFields: [{ path: ['reason'] }],
    });
    const onTeam = await t.graphql(
      BREAK,
      { p: split.onTeam[0], r: 'Patient collapsed in the waiting room' },
      physician,
    );
    expect(onTeam.body.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_AUTHORISED',
    });
  });

  it('opens clinical data for a time box, is audited as 110127, announced to privacy officers and reviewed', async () => {
    const patientId = split.offTeam[2]!;
    expect(await refusedFields(physician, patientId)).toEqual([
      'appointments',
      'careTeams',
      'coverages',
      'observations',
      'telecom',
    ]);
    const privacy = await openSubscription<{ type: string; patient: { id: string } }>(
      t,
      await t.token({ role: Role.ADMIN }),
      'subscription { privacyFeed { type patient { id } subject { __typename ... on BreakGlassSession { id } } } }',
      {},
      { 'X-Purpose-Of-Use': 'HCOMPL' },
    );
    const careTeam = await openSubscription(
      t,
      await t.token({ role: Role.NURSE }),
      'subscription { careTeamFeed { type } }',
    );
    const started = await t.graphql<{ breakGlass: Session }>(
      BREAK,
      { p: patientId, r: 'Unconscious in the emergency department' },
      physician,
    );
    expect(started.body.errors).toBeUndefined();
    const session = started.body.data!.breakGlass;
    expect(session.status).toBe('ACTIVE');
    expect(new Date(session.expiresAt).getTime() - new Date(session.startedAt).getTime()).toBe(
      60 * 60_000,
    );
    expect(await refusedFields(physician, patientId)).toEqual([]);

    await privacy.waitFor(1);
    expect(privacy.events[0]).toMatchObject({
      type: 'BREAK_GLASS_STARTED',
      patient: { id: patientId },
    });
    await privacy.close();
    expect(careTeam.events).toEqual([]);
    await careTeam.close();

    const [start] = await t.sql<{ purpose_of_use: string; detail: unknown; action: string }>(
      `select purpose_of_use, detail, action from audit_event where tenant_id = ? and type = 'break-glass.start' and patient_id = ?`,
      [t.seed.tenantId, patientId],
    );
    expect(start).toMatchObject({ action: 'E', purpose_of_use: 'ETREAT' });
    const detail = typeof start!.detail === 'string' ? JSON.parse(start!.detail) : start!.detail;
    expect(detail.subtype.code).toBe('110127');
    expect(JSON.stringify(detail)).not.toContain('Unconscious');
    const [read] = await t.sql<{ purpose_of_use: string; detail: unknown }>(
      `select purpose_of_use, detail from audit_event where tenant_id = ? and type = 'patient.read' and patient_id = ? and detail::text like '%breakGlass%' limit 1`,
      [t.seed.tenantId, patientId],
    );
    expect(read?.purpose_of_use).toBe('ETREAT');

    const list = await t.graphql<{
      breakGlassSessions: { edges: { node: { id: string; reason: string; status: string } }[] };
    }>(
      '{ breakGlassSessions(status: ACTIVE) { edges { node { id reason status } } } }',
      {},
      { role: Role.ADMIN },
      hcompl,
    );
    expect(list.body.data!.breakGlassSessions.edges.map((e) => e.node)).toContainEqual({
      id: session.id,
      reason: 'Unconscious in the emergency department',
      status: 'ACTIVE',
    });
    const notAdmin = await t.graphql(
      '{ breakGlassSessions { edges { node { id } } } }',
      {},
      physician,
      hcompl,
    );
    expect(notAdmin.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const reviewed = await t.graphql<{
      reviewBreakGlassSession: { status: string; reviewedBy: { displayName: string } };
    }>(
      'mutation($id: ID!) { reviewBreakGlassSession(id: $id, note: "Justified: ED admission") { status reviewedBy { displayName } } }',
      { id: session.id },
      { role: Role.ADMIN },
      hcompl,
    );
    expect(reviewed.body.data!.reviewBreakGlassSession.status).toBe('REVIEWED');
    const again = await t.graphql(
      'mutation($id: ID!) { reviewBreakGlassSession(id: $id) { status } }',
      { id: session.id },
      { role: Role.ADMIN },
      hcompl,
    );
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('ends access when the session expires', async () => {
    const patientId = split.offTeam[3]!;
    const started = await t.graphql<{ breakGlass: Session }>(
      BREAK,
      { p: patientId, r: 'Overdose, unresponsive, no history available' },
      nurse,
    );
    expect(started.body.errors).toBeUndefined();
    expect(await refusedFields(nurse, patientId)).toEqual([]);
    await t.sql(
      `update break_glass_session set expires_at = now() - interval '1 second' where id = ?`,
      [started.body.data!.breakGlass.id],
    );
    expect(await refusedFields(nurse, patientId)).toContain('observations');
    const list = await t.graphql<{ breakGlassSessions: { edges: { node: { id: string } }[] } }>(
      '{ breakGlassSessions(status: AWAITING_REVIEW) { edges { node { id } } } }',
      {},
      { role: Role.ADMIN },
      hcompl,
    );
    expect(list.body.data!.breakGlassSessions.edges.map((e) => e.node.id)).toContain(
      started.body.data!.breakGlass.id,
    );
  });
});
