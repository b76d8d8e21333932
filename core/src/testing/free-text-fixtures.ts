import { Role } from '@caregraph/schema';
import { careTeamSplit, createUserWithRoles } from './access-fixtures.js';
import type { TestHub } from './create-test-hub.js';

/** Free text of kinds the demo seed leaves empty, as `writeFreeText` stores it. */
export const FREE_TEXT_WRITTEN = {
  appointment: 'Follow-up on the abnormal biopsy result',
  cancellation: 'Admitted to hospital for chemotherapy',
  revocation: 'Patient distrusts the clinic after the HIV test disclosure',
  breakGlass: 'Unconscious after an overdose, no history available',
  review: 'Justified: ED admission for the overdose',
};

const HCOMPL = { 'x-purpose-of-use': 'HCOMPL' };

async function graphqlOk<T>(t: TestHub, ...args: Parameters<TestHub['graphql']>): Promise<T> {
  const res = await t.graphql<T>(...args);
  if (res.body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data!;
}

/**
 * Through the API: books and cancels an appointment of the patient and records and revokes a
 * consent (front desk), then breaks the glass on a patient off a clinician's care teams and
 * reviews the session (admin).
 */
export async function writeFreeText(t: TestHub, patientId: string): Promise<void> {
  const frontDesk = { role: Role.FRONT_DESK };
  const written = FREE_TEXT_WRITTEN;
  const [practitioner] = await t.sql<{ id: string }>('select id from practitioner limit 1');
  const start = Date.now() + 800 * 24 * 3_600_000;
  const { bookAppointment } = await graphqlOk<{ bookAppointment: { id: string } }>(
    t,
    'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
    {
      input: {
        patientId,
        practitionerId: practitioner!.id,
        start: new Date(start).toISOString(),
        end: new Date(start + 30 * 60_000).toISOString(),
        description: written.appointment,
      },
    },
    frontDesk,
  );
  await graphqlOk(
    t,
    'mutation($id: ID!, $r: String) { cancelAppointment(id: $id, reason: $r) { id } }',
    { id: bookAppointment.id, r: written.cancellation },
    frontDesk,
  );
  const { recordConsent } = await graphqlOk<{ recordConsent: { id: string } }>(
    t,
    'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }',
    { input: { patientId, scope: 'COMMUNICATION', purpose: 'CARE_REMINDERS', source: 'portal' } },
    frontDesk,
  );
  await graphqlOk(
    t,
    'mutation($id: ID!, $r: String) { revokeConsent(id: $id, reason: $r) { id } }',
    { id: recordConsent.id, r: written.revocation },
    frontDesk,
  );

  const split = await careTeamSplit(t);
  const outsider = await createUserWithRoles(t, [Role.PHYSICIAN], split.practitionerId);
  const { breakGlass } = await graphqlOk<{ breakGlass: { id: string } }>(
    t,
    'mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r) { id } }',
    { p: split.offTeam[0], r: written.breakGlass },
    outsider,
  );
  await graphqlOk(
    t,
    'mutation($id: ID!, $n: String) { reviewBreakGlassSession(id: $id, note: $n) { id } }',
    { id: breakGlass.id, n: written.review },
    { role: Role.ADMIN },
    HCOMPL,
  );
}

const PATIENT_FREE_TEXT = `query($id: ID!) { patient(id: $id) {
  appointments(first: 100) { edges { node { description cancellationReason } } }
  consents(first: 100) { edges { node { revocationReason } } }
} }`;
const CARE_PLAN_STEPS = `{ patients(first: 20) { edges { node {
  carePlans(first: 5) { edges { node { goals { description } activities { description } } } }
} } } }`;
const BREAK_GLASS_NOTES = '{ breakGlassSessions { edges { node { reason reviewNote } } } }';

type Edges<T> = { edges: { node: T }[] };
const nodes = <T>(connection: Edges<T>) => connection.edges.map((e) => e.node);

/** Free text as the API returns it (see `readFreeText`). */
export interface FreeTextRead {
  /** The patient's appointment and consent texts and every break-glass reason and note. */
  written: (string | null)[];
  /** Goal and activity descriptions of the care plans a physician sees (seeded). */
  carePlanSteps: string[];
}

/** Reads back what `writeFreeText` wrote, and the seeded care-plan steps, through the API. */
export async function readFreeText(t: TestHub, patientId: string): Promise<FreeTextRead> {
  const physician = { role: Role.PHYSICIAN };
  const { patient } = await graphqlOk<{
    patient: {
      appointments: Edges<{ description: string | null; cancellationReason: string | null }>;
      consents: Edges<{ revocationReason: string | null }>;
    };
  }>(t, PATIENT_FREE_TEXT, { id: patientId }, physician);
  type Steps = { goals: { description: string }[]; activities: { description: string }[] };
  const { patients } = await graphqlOk<{ patients: Edges<{ carePlans: Edges<Steps> }> }>(
    t,
    CARE_PLAN_STEPS,
    {},
    physician,
  );
  const { breakGlassSessions } = await graphqlOk<{
    breakGlassSessions: Edges<{ reason: string; reviewNote: string | null }>;
  }>(t, BREAK_GLASS_NOTES, {}, { role: Role.ADMIN }, HCOMPL);
  return {
    written: [
      ...nodes(patient.appointments).flatMap((a) => [a.description, a.cancellationReason]),
      ...nodes(patient.consents).map((c) => c.revocationReason),
      ...nodes(breakGlassSessions).flatMap((s) => [s.reason, s.reviewNote]),
    ],
    carePlanSteps: nodes(patients)
      .flatMap((p) => nodes(p.carePlans))
      .flatMap((plan) => [...plan.goals, ...plan.activities].map((step) => step.description)),
  };
}
