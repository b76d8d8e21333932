import { Role } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

let t: TestHub;
beforeAll(async () => {
  t = await createTestHub();
});
afterAll(async () => {
  await t?.stop();
});

describe('authentication', () => {
  it('answers UNAUTHENTICATED without a token', async () => {
    const res = await t.graphql('{ patients(first: 1) { edges { node { id } } } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.data?.patients ?? null).toBeNull();
  });

  it('answers UNAUTHENTICATED with HTTP 401 for a forged token', async () => {
    const res = await t.graphql(
      '{ me { id } }',
      {},
      { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' },
    );
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('resolves me for a dev token', async () => {
    const res = await t.graphql<{ me: { roles: string[]; email: string } }>(
      '{ me { email roles } }',
      {},
      { role: Role.NURSE },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.me.roles).toContain('NURSE');
  });
});

describe('patient search', () => {
  const search = `query($search: PatientSearchInput, $first: Int, $after: String) {
    patients(search: $search, first: $first, after: $after) {
      edges { cursor node { id name { family given } birthDate identifiers { system value } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  type SearchResult = {
    patients: {
      edges: {
        node: {
          id: string;
          name: { family: string; given: string[] };
          birthDate: string;
          identifiers: { system: string; value: string }[];
        };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };

  it('pages through every active patient exactly once', async () => {
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await t.graphql<SearchResult>(
        search,
        { first: 7, after },
        { role: Role.PHYSICIAN },
      );
      expect(res.body.errors).toBeUndefined();
      for (const edge of res.body.data!.patients.edges) {
        expect(seen.has(edge.node.id)).toBe(false);
        seen.add(edge.node.id);
      }
      if (!res.body.data!.patients.pageInfo.hasNextPage) break;
      after = res.body.data!.patients.pageInfo.endCursor;
    }
    expect(seen.size).toBe(t.seed.patientCount);
  });

  it('finds names by prefix, ignoring case and accents', async () => {
    const create = await t.graphql<{ createPatient: { id: string } }>(
      'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
      { input: { names: [{ family: 'Núñez-Ågren', given: ['Zoë'] }], birthDate: '1990-04-05' } },
      { role: Role.FRONT_DESK },
    );
    expect(create.body.errors).toBeUndefined();
    const res = await t.graphql<SearchResult>(
      search,
      { search: { name: 'ZOE nunez' } },
      { role: Role.PHYSICIAN },
    );
    const ids = res.body.data!.patients.edges.map((e) => e.node.id);
    expect(ids).toContain(create.body.data!.createPatient.id);
    const none = await t.graphql<SearchResult>(
      search,
      { search: { name: 'zoe xyzq' } },
      { role: Role.PHYSICIAN },
    );
    expect(none.body.data!.patients.edges).toHaveLength(0);
  });

  it('finds a patient by identifier and by birth date', async () => {
    const first = await t.graphql<SearchResult>(search, { first: 1 }, { role: Role.PHYSICIAN });
    const patient = first.body.data!.patients.edges[0]!.node;
    const mrn = patient.identifiers.find((i) => i.system.includes('mrn'))!;
    const byId = await t.graphql<SearchResult>(
      search,
      { search: { identifier: mrn.value } },
      { role: Role.PHYSICIAN },
    );
    expect(byId.body.data!.patients.edges.map((e) => e.node.id)).toEqual([patient.id]);
    const byBirth = await t.graphql<SearchResult>(
      search,
      { search: { birthDate: patient.birthDate } },
      { role: Role.PHYSICIAN },
    );
    expect(
      byBirth.body.data!.patients.edges.every((e) => e.node.birthDate === patient.birthDate),
    ).toBe(true);
    const lookup = await t.graphql<{ patientByIdentifier: { id: string } }>(
      'query($s: String!, $v: String!) { patientByIdentifier(system: $s, value: $v) { id } }',
      { s: mrn.system, v: mrn.value },
      { role: Role.FRONT_DESK },
    );
    expect(lookup.body.data!.patientByIdentifier.id).toBe(patient.id);
  });

  it('filters by care team (one the nurse is on, whose patients she may see)', async () => {
    const teams = await t.graphql<{
      me: { practitioner: { id: string } };
      careTeams: { id: string; members: { practitioner: { id: string } }[] }[];
    }>(
      '{ me { practitioner { id } } careTeams { id members { practitioner { id } } } }',
      {},
      { role: Role.NURSE },
    );
    const own = teams.body.data!.me.practitioner.id;
    const team = teams.body.data!.careTeams.find((c) =>
      c.members.some((m) => m.practitioner.id === own),
    )!;
    const res = await t.graphql<{
      patients: { edges: { node: { careTeams: { id: string }[] } }[] };
    }>(
      'query($id: ID!) { patients(first: 100, search: { careTeamId: $id }) { edges { node { careTeams { id } } } } }',
      { id: team.id },
      { role: Role.NURSE },
    );
    expect(res.body.data!.patients.edges.length).toBeGreaterThan(0);
    for (const edge of res.body.data!.patients.edges)
      expect(edge.node.careTeams.map((c) => c.id)).toContain(team.id);
  });

  it('rejects a malformed cursor with BAD_USER_INPUT on after', async () => {
    const res = await t.graphql(search, { after: 'not-a-cursor' }, { role: Role.PHYSICIAN });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.invalidFields).toEqual([
      { path: ['after'], message: expect.any(String) },
    ]);
  });
});

describe('bad input and unknown ids', () => {
  it('reports every invalid field of createPatient with its path', async () => {
    const res = await t.graphql(
      'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
      {
        input: {
          names: [{ family: '' }],
          birthDate: '2999-01-01',
          timeZone: 'Mars/Olympus',
          preferredLanguage: 'English!',
        },
      },
      { role: Role.FRONT_DESK },
    );
    const error = res.body.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const paths = (error?.extensions?.invalidFields as { path: (string | number)[] }[]).map((f) =>
      f.path.join('.'),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'input.names.0.family',
        'input.birthDate',
        'input.timeZone',
        'input.preferredLanguage',
      ]),
    );
  });

  it('answers NOT_FOUND for an unknown patient id', async () => {
    const res = await t.graphql(
      '{ patient(id: "00000000-0000-4000-8000-000000000000") { id } }',
      {},
      { role: Role.PHYSICIAN },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('answers BAD_USER_INPUT for a malformed id, with the argument name', async () => {
    const res = await t.graphql(
      '{ patient(id: "not-a-uuid") { id } }',
      {},
      { role: Role.PHYSICIAN },
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      invalidFields: [{ path: ['id'] }],
    });
  });

  it('answers BAD_USER_INPUT for a malformed id inside an input', async () => {
    const res = await t.graphql(
      'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      { input: { patientId: 'nope', title: 'Call back' } },
      { role: Role.NURSE },
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      invalidFields: [{ path: ['input', 'patientId'] }],
    });
  });
});

describe('role-based access', () => {
  it('lets front desk read demographics but not clinical data', async () => {
    const query =
      '{ patients(first: 1) { edges { node { name { family } observations(first: 1) { edges { node { id } } } } } } }';
    const res = await t.graphql<{ patients: { edges: { node: { name: unknown } }[] } }>(
      query,
      {},
      { role: Role.FRONT_DESK },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.body.errors?.[0]?.path).toEqual(['patients', 'edges', 0, 'node', 'observations']);
  });

  it('refuses audit events to non-admins and to admins without the compliance purpose', async () => {
    const query = '{ auditEvents(first: 1) { edges { node { id } } } }';
    const denied = await t.graphql(
      query,
      {},
      { role: Role.PHYSICIAN },
      { 'x-purpose-of-use': 'HCOMPL' },
    );
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const treating = await t.graphql(query, {}, { role: Role.ADMIN });
    expect(treating.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await t.graphql<{ auditEvents: { edges: { node: { type: string } }[] } }>(
      '{ auditEvents(first: 5) { edges { node { type action } } } }',
      {},
      { role: Role.ADMIN },
      { 'x-purpose-of-use': 'HCOMPL' },
    );
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data!.auditEvents.edges.length).toBeGreaterThan(0);
  });

  it('lets a patient read their own record but not another one', async () => {
    const me = await t.graphql<{ me: { patient: { id: string } } }>(
      '{ me { patient { id } } }',
      {},
      { role: Role.PATIENT },
    );
    const ownId = me.body.data!.me.patient.id;
    const own = await t.graphql<{ patient: { id: string } }>(
      'query($id: ID!) { patient(id: $id) { id conditions { edges { node { id } } } } }',
      { id: ownId },
      { role: Role.PATIENT },
    );
    expect(own.body.errors).toBeUndefined();
    const others = await t.graphql(
      '{ patients(first: 1) { edges { node { id } } } }',
      {},
      { role: Role.PATIENT },
    );
    expect(others.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('HTTP limits', () => {
  it('refuses a body over the limit with 413 and a JSON error', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ me { id } } #${'x'.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is too large.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('refuses malformed JSON with 400 and no stack trace', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(/at |node_modules/);
  });

  it('refuses a simple cross-site GET that could be a CSRF attempt', async () => {
    const response = await fetch(`${t.url}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(response.status).toBe(400);
  });
});

describe('health', () => {
  it('reports /health and /ready', async () => {
    const base = t.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', components: { database: 'up' } });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
  });
});

describe('input coercion', () => {
  it('answers BAD_USER_INPUT for an impossible date in variables, naming the field', async () => {
    const res = await t.graphql(
      'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
      { input: { names: [{ family: 'Doe' }], birthDate: '2020-13-45' } },
      { role: Role.FRONT_DESK },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toContain('birthDate');
  });
});
