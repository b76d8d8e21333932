/**
 * Issue #3: records with sensitivity labels are withheld unless the role, the purpose and the
 * patient's consent all allow them; 42 CFR Part 2 records need an explicit PERMIT.
 */
import {
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  Role,
} from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { careTeamSplit, createUserWithRoles, type TestUser } from '../testing/access-fixtures.js';

let t: TestHub;
let patientId: string;
let offTeamPatientId: string;
let physician: TestUser;
let coordinator: TestUser;
const LABELS = { plain: [], psy: ['PSY'], eth: ['ETH'], hiv: ['HIV'] } as const;
const ids: Record<keyof typeof LABELS, string> = { plain: '', psy: '', eth: '', hiv: '' };

async function addObservations(patient: string): Promise<Record<keyof typeof LABELS, string>> {
  return t.inTenant(async (em) => {
    const made = {} as Record<keyof typeof LABELS, string>;
    for (const [key, labels] of Object.entries(LABELS)) {
      const observation = em.create(Observation, {
        tenantId: t.seed.tenantId,
        patient: em.getReference(Patient, patient),
        status: ObservationStatus.FINAL,
        category: ObservationCategory.LABORATORY,
        code: { system: 'http://loinc.org', code: '0000-0', display: `${key} test` },
        valueString: 'sensitive value',
        effectiveAt: new Date(Date.now() + 60_000),
        securityLabels: [...labels],
      });
      made[key as keyof typeof LABELS] = observation.id;
    }
    await em.flush();
    return made;
  });
}

const OBSERVATIONS = `query($id: ID!) { patient(id: $id) {
  observations(first: 100) { edges { node { id } } }
  timeline(first: 100) { edges { node { item { ... on Observation { id } } } } }
} }`;

/** Which of the test observations the caller sees, in the list and on the timeline. */
async function visible(as: { token: string } | { role: Role }, patient = patientId) {
  const res = await t.graphql<{
    patient: {
      observations: { edges: { node: { id: string } }[] };
      timeline: { edges: { node: { item: { id?: string } } }[] };
    };
  }>(OBSERVATIONS, { id: patient }, as);
  expect(res.body.errors).toBeUndefined();
  const listed = new Set(res.body.data!.patient.observations.edges.map((e) => e.node.id));
  const onTimeline = new Set(res.body.data!.patient.timeline.edges.map((e) => e.node.item.id));
  const seen = (Object.keys(LABELS) as (keyof typeof LABELS)[]).filter((key) =>
    listed.has(patient === patientId ? ids[key] : offIds[key]),
  );
  const timelineSeen = (Object.keys(LABELS) as (keyof typeof LABELS)[]).filter((key) =>
    onTimeline.has(patient === patientId ? ids[key] : offIds[key]),
  );
  expect(timelineSeen).toEqual(seen);
  return seen;
}
let offIds: Record<keyof typeof LABELS, string>;

async function consent(decision: 'PERMIT' | 'DENY', labels: string[]): Promise<void> {
  const res = await t.graphql(
    `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id securityLabels } }`,
    {
      input: {
        patientId,
        scope: 'PATIENT_PRIVACY',
        purpose: 'TREATMENT',
        decision,
        securityLabels: labels,
        source: 'signed-form',
      },
    },
    { token: physician.token },
  );
  expect(res.body.errors).toBeUndefined();
}

beforeAll(async () => {
  t = await createTestHub();
  const split = await careTeamSplit(t);
  patientId = split.onTeam[0]!;
  offTeamPatientId = split.offTeam[0]!;
  physician = await createUserWithRoles(t, [Role.PHYSICIAN], split.practitionerId);
  coordinator = await createUserWithRoles(t, [Role.CARE_COORDINATOR], split.practitionerId);
  Object.assign(ids, await addObservations(patientId));
  offIds = await addObservations(offTeamPatientId);
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

it('shows the care-team physician everything but substance-use records by default', async () => {
  expect(await visible(physician)).toEqual(['plain', 'psy', 'hiv']);
});

it('shows no labelled record to a care coordinator, whatever the consents', async () => {
  expect(await visible(coordinator)).toEqual(['plain']);
});

it('rejects an unknown sensitivity label with BAD_USER_INPUT', async () => {
  const res = await t.graphql(
    `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
    {
      input: {
        patientId,
        scope: 'PATIENT_PRIVACY',
        purpose: 'TREATMENT',
        securityLabels: ['NOPE'],
        source: 'signed-form',
      },
    },
    { token: physician.token },
  );
  expect(res.body.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    invalidFields: [{ path: ['input', 'securityLabels'] }],
  });
});

it('shares Part 2 records after the patient permits them, and withholds what they refuse', async () => {
  await consent('PERMIT', ['ETH']);
  expect(await visible(physician)).toEqual(['plain', 'psy', 'eth', 'hiv']);
  await consent('DENY', ['PSY']);
  expect(await visible(physician)).toEqual(['plain', 'eth', 'hiv']);
});

it('shows a patient everything of their own record', async () => {
  const patientUser = t.seed.users.find((u) => u.roles.includes(Role.PATIENT))!;
  const own = await t.sql<{ patient_id: string }>('select patient_id from "user" where id = ?', [
    patientUser.id,
  ]);
  const mine = await addObservations(own[0]!.patient_id);
  const res = await t.graphql<{ patient: { observations: { edges: { node: { id: string } }[] } } }>(
    OBSERVATIONS,
    { id: own[0]!.patient_id },
    { role: Role.PATIENT },
  );
  const listed = res.body.data!.patient.observations.edges.map((e) => e.node.id);
  expect(listed).toEqual(expect.arrayContaining(Object.values(mine)));
});

it('shows everything under an emergency override, even Part 2 records without consent', async () => {
  const res = await t.graphql(
    'mutation($p: ID!) { breakGlass(patientId: $p, reason: "Unresponsive, suspected overdose") { id } }',
    { p: offTeamPatientId },
    { token: physician.token },
  );
  expect(res.body.errors).toBeUndefined();
  expect(await visible(physician, offTeamPatientId)).toEqual(['plain', 'psy', 'eth', 'hiv']);
});
