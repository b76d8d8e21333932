/**
 * Issue #3: every root field, called by every role, is allowed or refused exactly as
 * ROOT_FIELD_ACCESS (and so docs/security.md) says. Allowed calls are sent with inputs that
 * fail later (unknown ids, invalid values), so the test changes no data; a refusal is
 * FORBIDDEN at the root field, before any input is looked at.
 */
import { randomUUID } from 'node:crypto';
import type { OperationTypeNode } from 'graphql';
import { Role, UserKind } from '@caregraph/schema';
import type { Actor } from '../auth/actor.js';
import type { PurposeOfUse } from '../context/request-context.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import {
  actorOfTestUser,
  careTeamSplit,
  createUserWithRoles,
  type TestUser,
} from '../testing/access-fixtures.js';
import { basisFor, reaches, scopesFor } from './access-policy.js';
import { ROOT_FIELD_ACCESS, type RootFieldAccess } from './root-field-access.js';

let t: TestHub;
let patientId: string;
const unknown = randomUUID();

/** One call per root field (subscriptions are covered by the subscription suites). */
const CALLS: Record<string, string> = {
  'Query.me': '{ me { id } }',
  'Query.patient': 'query($p: ID!) { patient(id: $p) { id } }',
  'Query.patients': '{ patients(first: 1) { edges { node { id } } } }',
  'Query.patientByIdentifier': '{ patientByIdentifier(system: "urn:x", value: "none") { id } }',
  'Query.practitioners': '{ practitioners(first: 1) { edges { node { id } } } }',
  'Query.careTeam': 'query($u: ID!) { careTeam(id: $u) { id } }',
  'Query.careTeams': '{ careTeams { id } }',
  'Query.appointments': '{ appointments(first: 1) { edges { node { id } } } }',
  'Query.auditEvents': '{ auditEvents(first: 1) { edges { node { id } } } }',
  'Query.auditEventBundle': '{ auditEventBundle(first: 1) }',
  'Query.breakGlassSessions': '{ breakGlassSessions(first: 1) { edges { node { id } } } }',
  'Query.populationSummary': '{ populationSummary { minCellSize } }',
  'Mutation.createPatient': 'mutation { createPatient(input: { names: [{ family: "" }] }) { id } }',
  'Mutation.updatePatient': 'mutation($u: ID!) { updatePatient(id: $u, input: {}) { id } }',
  'Mutation.mergePatients':
    'mutation($u: ID!, $p: ID!) { mergePatients(survivorId: $u, loserId: $p) { id } }',
  'Mutation.addCareTeamMember':
    'mutation($u: ID!) { addCareTeamMember(input: { careTeamId: $u, practitionerId: $u, role: { code: "x" } }) { id } }',
  'Mutation.removeCareTeamMember':
    'mutation($u: ID!) { removeCareTeamMember(memberId: $u) { id } }',
  'Mutation.bookAppointment':
    'mutation($p: ID!, $u: ID!) { bookAppointment(input: { patientId: $p, practitionerId: $u, start: "2030-01-01T10:00:00Z", end: "2030-01-01T09:00:00Z" }) { id } }',
  'Mutation.cancelAppointment': 'mutation($u: ID!) { cancelAppointment(id: $u) { id } }',
  'Mutation.rescheduleAppointment':
    'mutation($u: ID!) { rescheduleAppointment(id: $u, input: { start: "2099-01-05T10:00:00Z", end: "2099-01-05T10:30:00Z" }) { id } }',
  'Mutation.setAppointmentStatus':
    'mutation($u: ID!) { setAppointmentStatus(id: $u, status: ARRIVED) { id } }',
  'Mutation.createTask':
    'mutation($p: ID!) { createTask(input: { patientId: $p, title: "" }) { id } }',
  'Mutation.completeTask': 'mutation($u: ID!) { completeTask(id: $u) { id } }',
  'Mutation.releaseLabResult': 'mutation($u: ID!) { releaseLabResult(observationId: $u) { id } }',
  'Mutation.recordConsent':
    'mutation($p: ID!) { recordConsent(input: { patientId: $p, scope: TREATMENT, purpose: TREATMENT, source: "" }) { id } }',
  'Mutation.revokeConsent': 'mutation($u: ID!) { revokeConsent(id: $u) { id } }',
  'Mutation.breakGlass': 'mutation($p: ID!) { breakGlass(patientId: $p, reason: "x") { id } }',
  'Mutation.reviewBreakGlassSession':
    'mutation($u: ID!) { reviewBreakGlassSession(id: $u) { id } }',
  // Patient rights: an unknown patient, so an allowed call is NOT_FOUND and changes nothing.
  'Query.legalHolds': 'query($u: ID!) { legalHolds(patientId: $u) { id } }',
  'Mutation.exportPatientData': 'mutation($u: ID!) { exportPatientData(patientId: $u) { id } }',
  'Mutation.erasePatient':
    'mutation($u: ID!) { erasePatient(patientId: $u, reason: "x") { patientId } }',
  'Mutation.placeLegalHold':
    'mutation($u: ID!) { placeLegalHold(patientId: $u, reason: "x") { id } }',
  'Mutation.releaseLegalHold': 'mutation($u: ID!) { releaseLegalHold(id: $u) { id } }',
  'Query.plugins': '{ plugins { id } }',
};

const actorOf = (user: TestUser): Actor => actorOfTestUser(t, user);

/** What the table says: the caller is on the care team of the patient passed as $p. */
function expectedAllowed(access: RootFieldAccess, actor: Actor, purpose: PurposeOfUse): boolean {
  switch (access.kind) {
    case 'authenticated':
      return true;
    case 'roles':
      return actor.roles.some((role) => access.roles.includes(role));
    case 'matrix':
      return reaches(actor, access.category, access.action, purpose, access.reach);
    case 'patient':
      return (
        basisFor(scopesFor(actor, access.category, access.action, purpose), {
          careTeam: true,
          self: false,
          proxy: false,
        }) !== undefined
      );
  }
}

beforeAll(async () => {
  t = await createTestHub();
  const split = await careTeamSplit(t);
  patientId = split.onTeam[0]!;
  users = await Promise.all(
    Object.values(Role).map((role) => createUserWithRoles(t, [role], split.practitionerId)),
  );
}, 180_000);
afterAll(async () => {
  await t?.stop();
});
let users: TestUser[];

it('has a call for every root query and mutation, and an access rule for every root field', () => {
  const schemaFields = ['Query', 'Mutation', 'Subscription'].flatMap((type) =>
    Object.keys(
      t.hub.schema.getRootType(type.toLowerCase() as OperationTypeNode)?.getFields() ?? {},
    ).map((field) => `${type}.${field}`),
  );
  const ruled = Object.entries(ROOT_FIELD_ACCESS).flatMap(([type, fields]) =>
    Object.keys(fields).map((field) => `${type}.${field}`),
  );
  expect(ruled.sort()).toEqual(schemaFields.sort());
  expect(Object.keys(CALLS).sort()).toEqual(
    schemaFields.filter((name) => !name.startsWith('Subscription.')).sort(),
  );
});

describe.each(['TREAT', 'HCOMPL'] as PurposeOfUse[])('purpose %s', (purpose) => {
  it.each(Object.values(Role))(
    'role %s is allowed or refused each root field per the table',
    async (role) => {
      const user = users.find((u) => u.roles[0] === role)!;
      expect(user.kind).toBe(UserKind.PRACTITIONER);
      const outcomes: Record<string, boolean> = {};
      const expected: Record<string, boolean> = {};
      for (const [name, query] of Object.entries(CALLS)) {
        const [type, field] = name.split('.') as [string, string];
        const res = await t.graphql(
          query,
          { p: patientId, u: unknown },
          { token: user.token },
          {
            'x-purpose-of-use': purpose,
          },
        );
        const refused = (res.body.errors ?? []).some(
          (error) => error.extensions?.code === 'FORBIDDEN' && error.path?.length === 1,
        );
        outcomes[name] = !refused;
        expected[name] = expectedAllowed(ROOT_FIELD_ACCESS[type]![field]!, actorOf(user), purpose);
      }
      expect(outcomes).toEqual(expected);
    },
  );
});
