/**
 * Issue 4: patient, task, consent and care-team enrolment events derived from the unit of work,
 * not emitted by hand. What a write committed is read from the outbox (the events are written in
 * the write's transaction, so they are there when it returns); delivery with its subject, from a
 * care team's feed (`openDerivedEventsFeeds`).
 */
import {
  BreakGlassSession,
  CareTeamPatient,
  Consent,
  Patient,
  PatientIdentifier,
  Practitioner,
  Role,
  Task,
  User,
} from '@caregraph/schema';
import { definePlugin } from '@caregraph/plugin-sdk';
import { createTestHub, type GraphQLResponse, type TestHub } from '../testing/create-test-hub.js';
import { openDerivedEventsFeeds, type DerivedEventsFeeds } from '../testing/derived-events-feed.js';

const CREATE_PATIENT =
  'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }';
const UPDATE_PATIENT =
  'mutation($id: ID!, $input: UpdatePatientInput!) { updatePatient(id: $id, input: $input) { id } }';
const MERGE = 'mutation($s: ID!, $l: ID!) { mergePatients(survivorId: $s, loserId: $l) { id } }';
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const COMPLETE_TASK = 'mutation($id: ID!) { completeTask(id: $id) { id } }';
const RECORD_CONSENT =
  'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }';
const REVOKE_CONSENT = 'mutation($id: ID!) { revokeConsent(id: $id) { id } }';
const MRN = 'urn:caregraph:test:derived-mrn';

/** A plugin that changes a patient's details through its context's `write`, not a service. */
const registry = definePlugin({
  id: 'registry',
  version: '1.0.0',
  apiVersion: '^1.1.0',
  routes: [
    {
      method: 'POST',
      path: '/language',
      handler: async (request, ctx) => {
        const { tenantId, userId, patientId, language } = request.body as Record<string, string>;
        await ctx.inTenant({ tenantId: tenantId!, userId: userId! }, (scope) =>
          scope.write(async ({ em }) => {
            (await em.findOneOrFail(Patient, patientId!)).preferredLanguage = language;
          }),
        );
        return { status: 204 };
      },
    },
  ],
});

let t: TestHub;
let feeds: DerivedEventsFeeds;

/** An outbox row as [type, patient, summary, subject type, subject id]. */
type Committed = [string, string, string, string, string];

/**
 * Runs `change` and returns the events it committed to the tenant's outbox, in order; then waits
 * until the member's feed has had them, so that the next check's feed starts after them.
 */
async function committed(change: () => Promise<unknown>): Promise<Committed[]> {
  // Insert order: the relay numbers positions after the commit.
  const [head] = await t.sql<{ sequence: string | null }>(
    'select max(sequence) as sequence from outbox_event',
  );
  await change();
  const rows = await t.sql<{ type: string; patient_id: string; payload: unknown }>(
    'select type, patient_id, payload from outbox_event where sequence > ? order by sequence',
    [Number(head?.sequence ?? 0)],
  );
  await feeds.sentinel(feeds.memberFeed, feeds.member.patientId);
  return rows.map((row) => {
    const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as {
      summary: string;
      subject: { type: string; id: string };
    };
    return [row.type, row.patient_id, payload.summary, payload.subject.type, payload.subject.id];
  });
}

async function ok<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const res = await response;
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

async function createPatient(family: string, identifiers: object[] = []): Promise<string> {
  const input = { names: [{ family, given: ['Ada'] }], birthDate: '1970-05-01', identifiers };
  const data = await ok(
    t.graphql<{ createPatient: { id: string } }>(
      CREATE_PATIENT,
      { input },
      { role: Role.FRONT_DESK },
    ),
  );
  return data.createPatient.id;
}

const updatePatient = (id: string, input: object) =>
  ok(t.graphql(UPDATE_PATIENT, { id, input }, { role: Role.FRONT_DESK }));

beforeAll(async () => {
  t = await createTestHub({ plugins: [registry] });
  feeds = await openDerivedEventsFeeds(t);
}, 180_000);

afterAll(async () => {
  await feeds?.close();
  await t?.stop();
});

describe('PatientRegistered, PatientUpdated, PatientsMerged (Patient, PatientIdentifier)', () => {
  it('registers a created patient with one event, its identifiers included', async () => {
    let id = '';
    const events = await committed(async () => {
      id = await createPatient('Registered', [{ system: MRN, value: 'R-1' }]);
    });
    expect(events).toEqual([['PatientRegistered', id, 'Patient registered', 'Patient', id]]);
  });

  it('updates on changed details and on an added identifier, once per write', async () => {
    const { patientId } = feeds.member;
    expect(
      await feeds.eventsOf(() =>
        updatePatient(patientId, {
          timeZone: 'America/Denver',
          addIdentifiers: [{ system: MRN, value: 'U-1' }],
        }),
      ),
    ).toEqual([['PATIENT_UPDATED', 'Patient', patientId]]);
    expect(
      await committed(() =>
        updatePatient(patientId, { addIdentifiers: [{ system: MRN, value: 'U-2' }] }),
      ),
    ).toEqual([['PatientUpdated', patientId, 'Patient details updated', 'Patient', patientId]]);
  });

  it('emits nothing for a write that changes none of the details', async () => {
    const { patientId } = feeds.member;
    const timeZone = await t.inTenant(
      async (em) => (await em.findOneOrFail(Patient, patientId)).timeZone,
    );
    // The same time zone, an identifier the patient already holds, and a write that only loads.
    expect(
      await committed(async () => {
        await updatePatient(patientId, {
          timeZone,
          addIdentifiers: [{ system: MRN, value: 'U-1' }],
        });
        await feeds.writeAs(async (scope) => {
          await scope.em.findOneOrFail(Patient, patientId);
          await scope.em.find(PatientIdentifier, { patient: patientId });
        });
      }),
    ).toEqual([]);
  });

  it('updates a patient changed by a plugin through its context', async () => {
    const { patientId } = feeds.member;
    const events = await feeds.eventsOf(async () => {
      const res = await fetch(new URL('/plugins/registry/language', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          tenantId: t.seed.tenantId,
          userId: t.userIdOf(Role.INTEGRATION),
          patientId,
          language: 'es',
        }),
      });
      expect(res.status).toBe(204);
    });
    expect(events).toEqual([['PATIENT_UPDATED', 'Patient', patientId]]);
  });

  it('gives one PatientsMerged about the survivor for a merge, as before', async () => {
    const survivor = await createPatient('Survivor', [{ system: MRN, value: 'S-1' }]);
    const loser = await createPatient('Loser', [{ system: MRN, value: 'L-1' }]);
    const events = await committed(() =>
      ok(t.graphql(MERGE, { s: survivor, l: loser }, { role: Role.ADMIN })),
    );
    expect(events).toEqual([
      ['PatientsMerged', survivor, 'Patient records merged', 'Patient', survivor],
    ]);
  });
});

describe('TaskAssigned and TaskCompleted (Task)', () => {
  it('assigns on creation and on a new owner, completes on completion, nothing otherwise', async () => {
    const { patientId } = feeds.member;
    let id = '';
    expect(
      await feeds.eventsOf(async () => {
        const data = await ok(
          t.graphql<{ createTask: { id: string } }>(
            CREATE_TASK,
            { input: { patientId, title: 'Call back about results' } },
            { role: Role.PHYSICIAN },
          ),
        );
        id = data.createTask.id;
      }),
    ).toEqual([['TASK_ASSIGNED', 'Task', id]]);
    const row = (type: string, summary: string): Committed => [
      type,
      patientId,
      summary,
      'Task',
      id,
    ];
    expect(
      await committed(() =>
        feeds.writeAs(async (scope) => {
          const owner = await scope.em.findOneOrFail(Practitioner, {});
          (await scope.em.findOneOrFail(Task, id)).owner = owner;
        }),
      ),
    ).toEqual([row('TaskAssigned', 'Task assigned')]);
    expect(
      await committed(() =>
        feeds.writeAs(async (scope) => {
          (await scope.em.findOneOrFail(Task, id)).description = 'Results are in';
        }),
      ),
    ).toEqual([]);
    expect(
      await committed(() => ok(t.graphql(COMPLETE_TASK, { id }, { role: Role.PHYSICIAN }))),
    ).toEqual([row('TaskCompleted', 'Task completed')]);
  });
});

describe('ConsentChanged (Consent)', () => {
  it('changes on a consent recorded, its provisions changed and revoked, not otherwise', async () => {
    const { patientId } = feeds.member;
    let id = '';
    expect(
      await feeds.eventsOf(async () => {
        const data = await ok(
          t.graphql<{ recordConsent: { id: string } }>(
            RECORD_CONSENT,
            { input: { patientId, scope: 'TREATMENT', purpose: 'TREATMENT', source: 'verbal' } },
            { role: Role.FRONT_DESK },
          ),
        );
        id = data.recordConsent.id;
      }),
    ).toEqual([['CONSENT_CHANGED', 'Consent', id]]);
    const row = (summary: string): Committed => [
      'ConsentChanged',
      patientId,
      summary,
      'Consent',
      id,
    ];
    const edit = (change: (consent: Consent) => void) =>
      committed(() =>
        feeds.writeAs(async (scope) => change(await scope.em.findOneOrFail(Consent, id))),
      );
    expect(
      await edit((consent) => (consent.periodEnd = new Date(Date.now() + 86_400_000))),
    ).toEqual([row('Consent changed')]);
    expect(await edit((consent) => (consent.source = 'written form'))).toEqual([]);
    expect(
      await committed(() => ok(t.graphql(REVOKE_CONSENT, { id }, { role: Role.FRONT_DESK }))),
    ).toEqual([row('Consent revoked')]);
  });
});

describe('CareTeamChanged (CareTeamPatient)', () => {
  it('changes the care team of a patient enrolled on a team, taken off it, or unenrolled', async () => {
    const { member, outsider } = feeds;
    const patientId = outsider.ownPatientId;
    let id = '';
    // Enrolled on the member's team: the member now receives events about that patient.
    expect(
      await feeds.eventsOf(async () => {
        id = await feeds.writeAs(async (scope) => {
          const enrolment = scope.em.create(CareTeamPatient, {
            tenantId: t.seed.tenantId,
            patient: scope.em.getReference(Patient, patientId),
            careTeam: member.careTeamId,
          });
          return enrolment.id;
        });
      }, true),
    ).toEqual([['CARE_TEAM_CHANGED', 'CareTeamPatient', id]]);
    // Taken off it: the patient's own team hears it.
    expect(
      await feeds.outsiderEventsOf(() =>
        feeds.writeAs(async (scope) => {
          (await scope.em.findOneOrFail(CareTeamPatient, id)).periodEnd = new Date();
        }),
      ),
    ).toEqual([['CARE_TEAM_CHANGED', 'CareTeamPatient', id]]);
    const row: Committed = [
      'CareTeamChanged',
      patientId,
      'Care team changed',
      'CareTeamPatient',
      id,
    ];
    expect(
      await committed(() =>
        feeds.writeAs(async (scope) => {
          scope.em.remove(await scope.em.findOneOrFail(CareTeamPatient, id));
        }),
      ),
    ).toEqual([row]);
  });
});

describe('BreakGlassStarted (BreakGlassSession)', () => {
  it('announces a session however it was written, once for the breakGlass mutation', async () => {
    const { member, outsider } = feeds;
    const row = (patientId: string, id: string): Committed => [
      'BreakGlassStarted',
      patientId,
      'Emergency access override started',
      'BreakGlassSession',
      id,
    ];
    let id = '';
    expect(
      await committed(async () => {
        id = await feeds.writeAs(async (scope) => {
          const session = scope.em.create(BreakGlassSession, {
            tenantId: t.seed.tenantId,
            patient: scope.em.getReference(Patient, member.patientId),
            user: scope.em.getReference(User, outsider.userId),
            reason: 'Written directly',
            expiresAt: new Date(Date.now() + 60_000),
          });
          return session.id;
        });
      }),
    ).toEqual([row(member.patientId, id)]);
    expect(
      await committed(async () => {
        const data = await ok(
          t.graphql<{ breakGlass: { id: string } }>(
            'mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r) { id } }',
            { p: outsider.ownPatientId, r: 'Unresponsive in the emergency department' },
            { userId: member.userId },
          ),
        );
        id = data.breakGlass.id;
      }),
    ).toEqual([row(outsider.ownPatientId, id)]);
  });
});
