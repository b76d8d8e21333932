import { Role } from '@caregraph/schema';
import { createTestHub, type GraphQLResponse, type TestHub } from '../testing/create-test-hub.js';

const CREATE_TASK =
  'mutation($input: CreateTaskInput!) { createTask(input: $input) { id title status completedAt } }';
const COMPLETE_TASK =
  'mutation($id: ID!, $outcome: String) { completeTask(id: $id, outcome: $outcome) { id status completedAt outcome } }';
const ACTIVE_TASKS =
  'query($id: ID!) { patient(id: $id) { tasks(first: 100, activeOnly: true) { edges { node { id } } } } }';
const RECORD_CONSENT =
  'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id status decision periodStart periodEnd revokedAt } }';
const REVOKE_CONSENT =
  'mutation($id: ID!, $reason: String) { revokeConsent(id: $id, reason: $reason) { id status revokedAt periodEnd revocationReason } }';
const ADD_MEMBER =
  'mutation($input: AddCareTeamMemberInput!) { addCareTeamMember(input: $input) { id active periodEnd practitioner { id } careTeam { id } } }';
const REMOVE_MEMBER =
  'mutation($id: ID!) { removeCareTeamMember(memberId: $id) { id active periodEnd } }';
const TEAM =
  'query($id: ID!) { careTeam(id: $id) { id members { id active periodEnd practitioner { id } } } }';
const UPDATE_PATIENT = `mutation($id: ID!, $input: UpdatePatientInput!) {
  updatePatient(id: $id, input: $input) { id name { family given } preferredLanguage identifiers { system value } }
}`;
const SEARCH =
  'query($name: String!) { patients(search: { name: $name }, first: 10) { edges { node { id } } } }';
const AUDIT =
  'query($after: String) { auditEvents(first: 100, after: $after) { edges { node { type action entity patientId actorUserId detail } } pageInfo { hasNextPage endCursor } } }';

type AuditRow = {
  type: string;
  action: string;
  entity: string | null;
  patientId: string | null;
  actorUserId: string | null;
  detail: Record<string, unknown>;
};
type Team = {
  id: string;
  members: {
    id: string;
    active: boolean;
    periodEnd: string | null;
    practitioner: { id: string };
  }[];
};

let t: TestHub;
let patientIds: string[];
let practitionerIds: string[];
let teams: Team[];
/** Values written in this suite that must never reach an audit row. */
const secrets: string[] = [];

const errorOf = (res: GraphQLResponse) => res.body.errors?.[0];
const MEMBER_ROLE = {
  system: 'http://snomed.info/sct',
  code: '224535009',
  display: 'Registered nurse',
};

async function auditTrail(): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  let after: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await t.graphql<{
      auditEvents: {
        edges: { node: AuditRow }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(AUDIT, { after }, { role: Role.ADMIN }, { 'x-purpose-of-use': 'HCOMPL' });
    expect(res.body.errors).toBeUndefined();
    rows.push(...res.body.data!.auditEvents.edges.map((e) => e.node));
    if (!res.body.data!.auditEvents.pageInfo.hasNextPage) return rows;
    after = res.body.data!.auditEvents.pageInfo.endCursor;
  }
  return rows;
}

/** Asserts an audit row exists for `type` on `entity` and that its detail holds no written value. */
async function expectAudited(type: string, entity: string, patientId?: string): Promise<AuditRow> {
  const row = (await auditTrail()).find((r) => r.type === type && r.entity === entity);
  expect(row).toBeDefined();
  expect(row!.actorUserId).toEqual(expect.any(String));
  if (patientId) expect(row!.patientId).toBe(patientId);
  const detail = JSON.stringify(row!.detail);
  for (const secret of secrets) expect(detail).not.toContain(secret);
  return row!;
}

async function loadTeams(): Promise<Team[]> {
  const list = await t.graphql<{ careTeams: { id: string }[] }>(
    '{ careTeams { id } }',
    {},
    { role: Role.ADMIN },
  );
  return Promise.all(
    list.body.data!.careTeams.map(
      async ({ id }) =>
        (await t.graphql<{ careTeam: Team }>(TEAM, { id }, { role: Role.ADMIN })).body.data!
          .careTeam,
    ),
  );
}

/** A practitioner with no active membership on `team`. */
function outsider(team: Team, skip: string[] = []): string {
  const active = new Set(team.members.filter((m) => m.active).map((m) => m.practitioner.id));
  const id = practitionerIds.find((p) => !active.has(p) && !skip.includes(p));
  if (!id) throw new Error('every practitioner is on this team');
  return id;
}

beforeAll(async () => {
  t = await createTestHub();
  const patients = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
    '{ patients(first: 3) { edges { node { id } } } }',
    {},
    { role: Role.NURSE },
  );
  patientIds = patients.body.data!.patients.edges.map((e) => e.node.id);
  const practitioners = await t.graphql<{ practitioners: { edges: { node: { id: string } }[] } }>(
    '{ practitioners(first: 50) { edges { node { id } } } }',
    {},
    { role: Role.ADMIN },
  );
  practitionerIds = practitioners.body.data!.practitioners.edges.map((e) => e.node.id);
  teams = await loadTeams();
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('tasks', () => {
  it('creates and completes a task; completing twice is a CONFLICT; the active list follows', async () => {
    const title = 'Call back about home glucose log';
    secrets.push(title);
    const created = await t.graphql<{
      createTask: { id: string; status: string; completedAt: string | null };
    }>(
      CREATE_TASK,
      { input: { patientId: patientIds[0], title, priority: 'URGENT' } },
      { role: Role.NURSE },
    );
    expect(created.body.errors).toBeUndefined();
    const task = created.body.data!.createTask;
    expect(task).toMatchObject({ status: 'REQUESTED', completedAt: null });
    const activeBefore = await t.graphql<{
      patient: { tasks: { edges: { node: { id: string } }[] } };
    }>(ACTIVE_TASKS, { id: patientIds[0] }, { role: Role.NURSE });
    expect(activeBefore.body.data!.patient.tasks.edges.map((e) => e.node.id)).toContain(task.id);

    const completed = await t.graphql<{
      completeTask: { status: string; completedAt: string; outcome: string };
    }>(COMPLETE_TASK, { id: task.id, outcome: 'Reached patient' }, { role: Role.NURSE });
    expect(completed.body.errors).toBeUndefined();
    expect(completed.body.data!.completeTask).toMatchObject({
      status: 'COMPLETED',
      outcome: 'Reached patient',
    });
    expect(
      Math.abs(new Date(completed.body.data!.completeTask.completedAt).getTime() - Date.now()),
    ).toBeLessThan(60_000);
    const activeAfter = await t.graphql<{
      patient: { tasks: { edges: { node: { id: string } }[] } };
    }>(ACTIVE_TASKS, { id: patientIds[0] }, { role: Role.NURSE });
    expect(activeAfter.body.data!.patient.tasks.edges.map((e) => e.node.id)).not.toContain(task.id);

    const twice = await t.graphql(COMPLETE_TASK, { id: task.id }, { role: Role.NURSE });
    expect(errorOf(twice)?.extensions?.code).toBe('CONFLICT');
    await expectAudited('task.create', `Task/${task.id}`, patientIds[0]);
    await expectAudited('task.complete', `Task/${task.id}`, patientIds[0]);
  });
});

describe('consents', () => {
  const input = (extra: Record<string, unknown> = {}) => ({
    patientId: patientIds[1],
    scope: 'COMMUNICATION',
    purpose: 'CARE_REMINDERS',
    channel: 'SMS',
    source: 'form-7731',
    ...extra,
  });

  it('records and revokes a consent; a revoked consent is INACTIVE with revokedAt; revoking again is a CONFLICT', async () => {
    secrets.push('form-7731', 'moved abroad');
    const recorded = await t.graphql<{
      recordConsent: { id: string; status: string; decision: string };
    }>(RECORD_CONSENT, { input: input() }, { role: Role.FRONT_DESK });
    expect(recorded.body.errors).toBeUndefined();
    const consent = recorded.body.data!.recordConsent;
    expect(consent).toMatchObject({ status: 'ACTIVE', decision: 'PERMIT' });

    const revoked = await t.graphql<{
      revokeConsent: {
        status: string;
        revokedAt: string;
        periodEnd: string;
        revocationReason: string;
      };
    }>(REVOKE_CONSENT, { id: consent.id, reason: 'moved abroad' }, { role: Role.FRONT_DESK });
    expect(revoked.body.errors).toBeUndefined();
    const after = revoked.body.data!.revokeConsent;
    expect(after.status).toBe('INACTIVE');
    expect(after.revokedAt).toEqual(expect.any(String));
    expect(after.periodEnd).toBe(after.revokedAt);

    const again = await t.graphql(REVOKE_CONSENT, { id: consent.id }, { role: Role.FRONT_DESK });
    expect(errorOf(again)?.extensions?.code).toBe('CONFLICT');
    await expectAudited('consent.record', `Consent/${consent.id}`, patientIds[1]);
    await expectAudited('consent.revoke', `Consent/${consent.id}`, patientIds[1]);
  });

  it('answers BAD_USER_INPUT on input.periodEnd when it is before periodStart', async () => {
    const res = await t.graphql(
      RECORD_CONSENT,
      { input: input({ periodStart: '2030-05-01T00:00:00Z', periodEnd: '2030-04-01T00:00:00Z' }) },
      { role: Role.FRONT_DESK },
    );
    expect(errorOf(res)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errorOf(res)?.extensions?.invalidFields).toEqual([
      { path: ['input', 'periodEnd'], message: expect.any(String) },
    ]);
    // periodStart defaults to now, so a periodEnd in the past is before it too
    const pastEnd = await t.graphql(
      RECORD_CONSENT,
      { input: input({ periodEnd: '2020-01-01T00:00:00Z' }) },
      { role: Role.FRONT_DESK },
    );
    expect(errorOf(pastEnd)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errorOf(pastEnd)?.extensions?.invalidFields).toEqual([
      { path: ['input', 'periodEnd'], message: expect.any(String) },
    ]);
  });
});

describe('care team members', () => {
  it('lets an admin and a care coordinator add members; the same active member twice is a CONFLICT', async () => {
    const team = teams[0]!;
    const first = outsider(team);
    const second = outsider(team, [first]);
    const byAdmin = await t.graphql<{ addCareTeamMember: { id: string; active: boolean } }>(
      ADD_MEMBER,
      { input: { careTeamId: team.id, practitionerId: first, role: MEMBER_ROLE } },
      { role: Role.ADMIN },
    );
    expect(byAdmin.body.errors).toBeUndefined();
    expect(byAdmin.body.data!.addCareTeamMember.active).toBe(true);
    const byCoordinator = await t.graphql<{ addCareTeamMember: { id: string } }>(
      ADD_MEMBER,
      { input: { careTeamId: team.id, practitionerId: second, role: MEMBER_ROLE } },
      { role: Role.CARE_COORDINATOR },
    );
    expect(byCoordinator.body.errors).toBeUndefined();
    const twice = await t.graphql(
      ADD_MEMBER,
      { input: { careTeamId: team.id, practitionerId: first, role: MEMBER_ROLE } },
      { role: Role.ADMIN },
    );
    expect(errorOf(twice)?.extensions?.code).toBe('CONFLICT');
    expect(errorOf(twice)?.extensions?.path).toEqual(['input', 'practitionerId']);
    const members = (
      await t.graphql<{ careTeam: Team }>(TEAM, { id: team.id }, { role: Role.ADMIN })
    ).body.data!.careTeam.members;
    expect(members.filter((m) => m.practitioner.id === first && m.active)).toHaveLength(1);
    await expectAudited(
      'care-team.member.add',
      `CareTeamMember/${byAdmin.body.data!.addCareTeamMember.id}`,
    );
    await expectAudited(
      'care-team.member.add',
      `CareTeamMember/${byCoordinator.body.data!.addCareTeamMember.id}`,
    );
  });

  it('refuses addCareTeamMember to a nurse with FORBIDDEN', async () => {
    const team = teams[1]!;
    const res = await t.graphql(
      ADD_MEMBER,
      { input: { careTeamId: team.id, practitionerId: outsider(team), role: MEMBER_ROLE } },
      { role: Role.NURSE },
    );
    expect(errorOf(res)?.extensions?.code).toBe('FORBIDDEN');
    expect(res.body.data?.addCareTeamMember ?? null).toBeNull();
  });

  it('ends a membership: periodEnd set, active false, still listed in members', async () => {
    const team = teams[2]!;
    const practitionerId = outsider(team);
    const added = await t.graphql<{ addCareTeamMember: { id: string } }>(
      ADD_MEMBER,
      { input: { careTeamId: team.id, practitionerId, role: MEMBER_ROLE } },
      { role: Role.CARE_COORDINATOR },
    );
    const memberId = added.body.data!.addCareTeamMember.id;
    const removed = await t.graphql<{
      removeCareTeamMember: { active: boolean; periodEnd: string | null };
    }>(REMOVE_MEMBER, { id: memberId }, { role: Role.CARE_COORDINATOR });
    expect(removed.body.errors).toBeUndefined();
    expect(removed.body.data!.removeCareTeamMember.active).toBe(false);
    expect(removed.body.data!.removeCareTeamMember.periodEnd).toEqual(expect.any(String));
    const members = (
      await t.graphql<{ careTeam: Team }>(TEAM, { id: team.id }, { role: Role.ADMIN })
    ).body.data!.careTeam.members;
    expect(members.find((m) => m.id === memberId)).toMatchObject({
      active: false,
      periodEnd: expect.any(String),
    });
    // the practitioner can join again once the membership has ended
    const rejoin = await t.graphql(
      ADD_MEMBER,
      { input: { careTeamId: team.id, practitionerId, role: MEMBER_ROLE } },
      { role: Role.ADMIN },
    );
    expect(rejoin.body.errors).toBeUndefined();
    await expectAudited('care-team.member.remove', `CareTeamMember/${memberId}`);
  });
});

describe('updatePatient', () => {
  it('changes fields, and the name search finds the new name', async () => {
    const id = patientIds[2]!;
    secrets.push('Quarrington', 'Ysolde', 'urn:caregraph:test:ext', 'EXT-55120');
    const res = await t.graphql<{
      updatePatient: {
        name: { family: string; given: string[] };
        preferredLanguage: string;
        identifiers: { system: string; value: string }[];
      };
    }>(
      UPDATE_PATIENT,
      {
        id,
        input: {
          names: [{ family: 'Quarrington', given: ['Ysolde'] }],
          preferredLanguage: 'fr',
          addIdentifiers: [{ system: 'urn:caregraph:test:ext', value: 'EXT-55120' }],
        },
      },
      { role: Role.FRONT_DESK },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.updatePatient).toMatchObject({
      name: { family: 'Quarrington', given: ['Ysolde'] },
      preferredLanguage: 'fr',
    });
    expect(res.body.data!.updatePatient.identifiers).toContainEqual({
      system: 'urn:caregraph:test:ext',
      value: 'EXT-55120',
    });
    const found = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
      SEARCH,
      { name: 'ysol quarr' },
      { role: Role.FRONT_DESK },
    );
    expect(found.body.data!.patients.edges.map((e) => e.node.id)).toEqual([id]);
    const audit = await expectAudited('patient.update', `Patient/${id}`, id);
    // what changed, by field name only
    expect(audit.detail).toEqual({
      changed: expect.arrayContaining(['names', 'preferredLanguage', 'identifiers']),
    });
  });

  it('answers CONFLICT when adding an identifier that belongs to another patient', async () => {
    const other = await t.graphql<{
      patient: { identifiers: { system: string; value: string }[] };
    }>(
      'query($id: ID!) { patient(id: $id) { identifiers { system value } } }',
      { id: patientIds[0] },
      { role: Role.FRONT_DESK },
    );
    const taken = other.body.data!.patient.identifiers[0]!;
    secrets.push(taken.value);
    const res = await t.graphql(
      UPDATE_PATIENT,
      { id: patientIds[1], input: { preferredLanguage: 'de', addIdentifiers: [taken] } },
      { role: Role.FRONT_DESK },
    );
    expect(errorOf(res)?.extensions?.code).toBe('CONFLICT');
    expect(errorOf(res)?.extensions?.path).toEqual(['input', 'addIdentifiers', 0]);
    const unchanged = await t.graphql<{ patient: { preferredLanguage: string | null } }>(
      'query($id: ID!) { patient(id: $id) { preferredLanguage } }',
      { id: patientIds[1] },
      { role: Role.FRONT_DESK },
    );
    expect(unchanged.body.data!.patient.preferredLanguage).not.toBe('de');
  });

  it('never puts written values into any audit detail', async () => {
    const rows = await auditTrail();
    expect(rows.length).toBeGreaterThan(0);
    const all = JSON.stringify(rows.map((r) => r.detail));
    for (const secret of secrets) expect(all).not.toContain(secret);
  });
});
