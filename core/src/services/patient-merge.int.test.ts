import {
  CareTeam,
  CareTeamPatient,
  CodedConcept,
  Condition,
  ConditionClinicalStatus,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  Provenance,
  Role,
} from '@caregraph/schema';
import { enrolWithDemoClinicians } from '../testing/access-fixtures.js';
import { createTestHub, type GraphQLResponse, type TestHub } from '../testing/create-test-hub.js';

const CREATE = 'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }';
const MERGE = `mutation($survivorId: ID!, $loserId: ID!) {
  mergePatients(survivorId: $survivorId, loserId: $loserId) { id active identifiers { system value } replaces { id } }
}`;
const RECORDS = `query($id: ID!) {
  patient(id: $id) {
    id active replacedBy { id } replaces { id }
    identifiers { system value }
    careTeams { id }
    appointments(first: 100) { edges { node { id } } }
    tasks(first: 100) { edges { node { id } } }
    consents(first: 100) { edges { node { id } } }
    observations(first: 100) { edges { node { id } } }
    conditions(first: 100) { edges { node { id } } }
  }
}`;
const SEARCH =
  'query($name: String!, $inactive: Boolean) { patients(search: { name: $name, includeInactive: $inactive }) { edges { node { id active } } } }';

type Ids = { edges: { node: { id: string } }[] };
type Records = {
  id: string;
  active: boolean;
  replacedBy: { id: string } | null;
  replaces: { id: string }[];
  identifiers: { system: string; value: string }[];
  careTeams: { id: string }[];
  appointments: Ids;
  tasks: Ids;
  consents: Ids;
  observations: Ids;
  conditions: Ids;
};
type RecordKind = 'appointments' | 'tasks' | 'consents' | 'observations' | 'conditions';
const KINDS: RecordKind[] = ['appointments', 'tasks', 'consents', 'observations', 'conditions'];

const MRN = 'urn:caregraph:test:mrn';
const SSN = 'http://hl7.org/fhir/sid/us-ssn';

let t: TestHub;
let survivorId: string;
let loserId: string;
let practitionerId: string;
let before: { survivor: Records; loser: Records };

const errorOf = (res: GraphQLResponse) => res.body.errors?.[0];
const ids = (connection: Ids) => connection.edges.map((e) => e.node.id);

async function records(id: string): Promise<Records> {
  const res = await t.graphql<{ patient: Records }>(RECORDS, { id }, { role: Role.PHYSICIAN });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.patient;
}

async function ok<T>(promise: Promise<GraphQLResponse<T>>): Promise<T> {
  const res = await promise;
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

async function createPatient(
  family: string,
  given: string,
  identifiers: { system: string; value: string }[],
): Promise<string> {
  const data = await ok(
    t.graphql<{ createPatient: { id: string } }>(
      CREATE,
      { input: { names: [{ family, given: [given] }], birthDate: '1961-03-14', identifiers } },
      { role: Role.FRONT_DESK },
    ),
  );
  // Clinical reads and tasks need a care relationship: put the patient on the demo team.
  await enrolWithDemoClinicians(t, data.createPatient.id);
  return data.createPatient.id;
}

let slot = 0;
async function bookFor(patientId: string): Promise<string> {
  slot += 1;
  const start = new Date(Date.now() + 900 * 24 * 3600_000 + slot * 3600_000);
  start.setUTCMinutes(0, 0, 0);
  const data = await ok(
    t.graphql<{ bookAppointment: { id: string } }>(
      'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
      {
        input: {
          patientId,
          practitionerId,
          start: start.toISOString(),
          end: new Date(start.getTime() + 1800_000).toISOString(),
        },
      },
      { role: Role.FRONT_DESK },
    ),
  );
  return data.bookAppointment.id;
}

async function taskFor(patientId: string) {
  return t.graphql<{ createTask: { id: string } }>(
    'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
    { input: { patientId, title: 'Reconcile medication list' } },
    { role: Role.NURSE },
  );
}

async function consentFor(patientId: string): Promise<string> {
  const data = await ok(
    t.graphql<{ recordConsent: { id: string } }>(
      'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }',
      { input: { patientId, scope: 'TREATMENT', purpose: 'TREATMENT', source: 'verbal' } },
      { role: Role.FRONT_DESK },
    ),
  );
  return data.recordConsent.id;
}

/** Inserts what the API cannot create (results, problems, a care-team enrolment) for a patient. */
async function insertClinical(patientId: string): Promise<void> {
  return t.inTenant(async (em) => {
    const patient = em.getReference(Patient, patientId);
    const tenantId = t.seed.tenantId;
    const code = (system: string, value: string, display: string) =>
      Object.assign(new CodedConcept(), { system, code: value, display });
    for (const [index, value] of [6.1, 6.8].entries()) {
      em.create(Observation, {
        tenantId,
        patient,
        status: ObservationStatus.FINAL,
        category: ObservationCategory.LABORATORY,
        code: code('http://loinc.org', '4548-4', 'Hemoglobin A1c'),
        valueQuantity: value,
        unit: '%',
        effectiveAt: new Date(Date.now() - (index + 1) * 86_400_000),
      });
    }
    em.create(Condition, {
      tenantId,
      patient,
      code: code('http://snomed.info/sct', '44054006', 'Diabetes mellitus type 2'),
      clinicalStatus: ConditionClinicalStatus.ACTIVE,
    });
    const team = await em.findOneOrFail(CareTeam, { name: 'Behavioral Health' });
    em.create(CareTeamPatient, {
      tenantId,
      patient,
      careTeam: team,
      periodStart: new Date(Date.now() - 86_400_000),
    });
    await em.flush();
  });
}

beforeAll(async () => {
  t = await createTestHub();
  const practitioners = await t.graphql<{ practitioners: Ids }>(
    '{ practitioners(first: 1) { edges { node { id } } } }',
    {},
    { role: Role.FRONT_DESK },
  );
  practitionerId = ids(practitioners.body.data!.practitioners)[0]!;
  survivorId = await createPatient('Vantongeren', 'Aurelie', [{ system: MRN, value: 'MRG-1001' }]);
  loserId = await createPatient('Vantongerenn', 'Aurely', [
    { system: MRN, value: 'MRG-2002' },
    { system: SSN, value: '999-41-7710' },
  ]);
  await bookFor(survivorId);
  await ok(taskFor(survivorId));
  for (let i = 0; i < 2; i++) await bookFor(loserId);
  await ok(taskFor(loserId));
  await consentFor(loserId);
  await insertClinical(loserId);
  before = { survivor: await records(survivorId), loser: await records(loserId) };
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('mergePatients', () => {
  it('has linked records of every kind on the loser before the merge', () => {
    for (const kind of KINDS) expect(ids(before.loser[kind]).length).toBeGreaterThan(0);
    expect(before.loser.careTeams.length).toBeGreaterThan(0);
    expect(before.loser.identifiers).toHaveLength(2);
  });

  it('refuses a physician with FORBIDDEN', async () => {
    const res = await t.graphql(MERGE, { survivorId, loserId }, { role: Role.PHYSICIAN });
    expect(errorOf(res)?.extensions?.code).toBe('FORBIDDEN');
    expect((await records(loserId)).active).toBe(true);
  });

  it('refuses to merge a patient with itself with BAD_USER_INPUT', async () => {
    const res = await t.graphql(MERGE, { survivorId, loserId: survivorId }, { role: Role.ADMIN });
    expect(errorOf(res)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errorOf(res)?.extensions?.invalidFields).toEqual([
      { path: ['loserId'], message: expect.any(String) },
    ]);
  });

  it('moves every linked record and both patients’ identifiers to the survivor', async () => {
    const merged = await ok(
      t.graphql<{
        mergePatients: {
          id: string;
          active: boolean;
          identifiers: { system: string; value: string }[];
          replaces: { id: string }[];
        };
      }>(MERGE, { survivorId, loserId }, { role: Role.ADMIN }),
    );
    expect(merged.mergePatients).toMatchObject({
      id: survivorId,
      active: true,
      replaces: [{ id: loserId }],
    });
    const expectedIdentifiers = [...before.survivor.identifiers, ...before.loser.identifiers];
    expect(merged.mergePatients.identifiers).toEqual(expect.arrayContaining(expectedIdentifiers));
    expect(merged.mergePatients.identifiers).toHaveLength(3);

    const survivor = await records(survivorId);
    for (const kind of KINDS) {
      expect(ids(survivor[kind]).sort()).toEqual(
        [...ids(before.survivor[kind]), ...ids(before.loser[kind])].sort(),
      );
    }
    expect(survivor.careTeams.map((c) => c.id)).toEqual(
      expect.arrayContaining(before.loser.careTeams.map((c) => c.id)),
    );
    expect(survivor.identifiers).toEqual(expect.arrayContaining(expectedIdentifiers));
    const lookup = await t.graphql<{ patientByIdentifier: { id: string } }>(
      '{ patientByIdentifier(system: "http://hl7.org/fhir/sid/us-ssn", value: "999-41-7710") { id } }',
      {},
      { role: Role.FRONT_DESK },
    );
    expect(lookup.body.data!.patientByIdentifier.id).toBe(survivorId);
  });

  it('leaves the loser inactive, empty, pointing at the survivor; the survivor lists it in replaces', async () => {
    const loser = await records(loserId);
    expect(loser.active).toBe(false);
    expect(loser.replacedBy).toEqual({ id: survivorId });
    expect(loser.identifiers).toEqual([]);
    for (const kind of KINDS) expect(ids(loser[kind])).toEqual([]);
    expect((await records(survivorId)).replaces).toEqual([{ id: loserId }]);
  });

  it('drops the loser from patient search unless includeInactive is set', async () => {
    const active = await ok(
      t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
        SEARCH,
        { name: 'vantongeren' },
        { role: Role.FRONT_DESK },
      ),
    );
    expect(active.patients.edges.map((e) => e.node.id)).toEqual([survivorId]);
    const all = await ok(
      t.graphql<{ patients: { edges: { node: { id: string; active: boolean } }[] } }>(
        SEARCH,
        { name: 'vantongeren', inactive: true },
        { role: Role.FRONT_DESK },
      ),
    );
    expect(all.patients.edges.map((e) => e.node).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: survivorId, active: true },
        { id: loserId, active: false },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('answers CONFLICT when merging the same record again, or writing to the merged record', async () => {
    const again = await t.graphql(MERGE, { survivorId, loserId }, { role: Role.ADMIN });
    expect(errorOf(again)?.extensions?.code).toBe('CONFLICT');
    const reversed = await t.graphql(
      MERGE,
      { survivorId: loserId, loserId: survivorId },
      { role: Role.ADMIN },
    );
    expect(errorOf(reversed)?.extensions?.code).toBe('CONFLICT');
    const task = await taskFor(loserId);
    expect(errorOf(task)?.extensions).toMatchObject({
      code: 'CONFLICT',
      path: ['input', 'patientId'],
    });
  });

  it('lets only one of two concurrent merges of the same record succeed (rows locked)', async () => {
    const [first, second, loser] = await Promise.all([
      createPatient('Oyelaran', 'Kemi', [{ system: MRN, value: 'MRG-3001' }]),
      createPatient('Oyelaran', 'Kemisola', [{ system: MRN, value: 'MRG-3002' }]),
      createPatient('Oyelarann', 'Kemi', [{ system: MRN, value: 'MRG-3003' }]),
    ]);
    await bookFor(loser);
    const results = await Promise.all(
      [first, second].map((survivor) =>
        t.graphql(MERGE, { survivorId: survivor, loserId: loser }, { role: Role.ADMIN }),
      ),
    );
    const winners = results.filter((r) => !r.body.errors);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => errorOf(r)?.extensions?.code === 'CONFLICT')).toHaveLength(1);
    const winnerId = (winners[0]!.body.data as { mergePatients: { id: string } }).mergePatients.id;
    const merged = await records(loser);
    expect(merged.replacedBy).toEqual({ id: winnerId });
    expect(ids((await records(winnerId)).appointments)).toHaveLength(1);
  });

  it('records a merge Provenance for both records', async () => {
    return t.inTenant(async (em) => {
      const rows = await em.find(Provenance, {
        activity: 'merge',
        target: { $in: [`Patient/${survivorId}`, `Patient/${loserId}`] },
      });
      expect(rows.map((r) => r.target).sort()).toEqual(
        [`Patient/${survivorId}`, `Patient/${loserId}`].sort(),
      );
      const adminId = t.seed.users.find((u) => u.roles.includes(Role.ADMIN))!.id;
      for (const row of rows) expect(row).toMatchObject({ agentType: 'user', agentId: adminId });
    });
  });
});
