import {
  AllergyIntolerance,
  AuditEvent,
  CarePlan,
  CarePlanActivity,
  CarePlanGoal,
  CareTeam,
  CareTeamPatient,
  Communication,
  CommunicationChannel,
  CommunicationStatus,
  Condition,
  ConditionClinicalStatus,
  Coverage,
  Encounter,
  EncounterClass,
  EncounterStatus,
  Immunization,
  MedicationRequest,
  MedicationRequestStatus,
  MedicationStatement,
  MedicationStatementStatus,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  Practitioner,
  RelatedPerson,
  Role,
  Task,
  User,
  UserKind,
} from '@caregraph/schema';
import { verifyAuditChain } from '../../audit/verify-audit-chain.js';
import {
  createTestHub,
  type GraphQLResponse,
  type TestHub,
} from '../../testing/create-test-hub.js';
import { PATIENT_RECORD_TABLES, PATIENT_RECORDS_KEPT } from './patient-records.js';

const ERASE = `mutation($patientId: ID!, $reason: String!) {
  erasePatient(patientId: $patientId, reason: $reason) { patientId erasedAt deletedRecords mergedRecordsErased }
}`;
const PLACE = `mutation($patientId: ID!, $reason: String!) {
  placeLegalHold(patientId: $patientId, reason: $reason) { id reason active placedAt placedByUserId }
}`;
const RELEASE = `mutation($id: ID!) { releaseLegalHold(id: $id, reason: "Matter closed") { id active releasedAt } }`;
const HOLDS = `query($patientId: ID!, $all: Boolean) {
  legalHolds(patientId: $patientId, includeReleased: $all) { id active }
}`;
const MRN = 'urn:caregraph:test:erasure-mrn';
const YEAR_MS = 365.25 * 24 * 3600_000;

let t: TestHub;
let demoPatientId: string;

const errorOf = (res: GraphQLResponse) => res.body.errors?.[0];
const admin = { role: Role.ADMIN } as const;
/** Exports by an admin are for compliance (purpose of use HCOMPL, per the matrix). */
const COMPLIANCE = { 'x-purpose-of-use': 'HCOMPL' };

async function sql<T = Record<string, unknown>>(
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return t.inTenant((em) => em.getConnection().execute<T[]>(query, params));
}

async function ok<T>(promise: Promise<GraphQLResponse<T>>): Promise<T> {
  const res = await promise;
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

async function createPatient(family: string, mrn: string): Promise<string> {
  const data = await ok(
    t.graphql<{ createPatient: { id: string } }>(
      'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
      {
        input: {
          names: [{ family, given: ['Erin'] }],
          birthDate: '1961-03-14',
          telecom: [{ system: 'EMAIL', value: `${family.toLowerCase()}@example.org` }],
          identifiers: [{ system: MRN, value: mrn }],
        },
      },
      { role: Role.FRONT_DESK },
    ),
  );
  return data.createPatient.id;
}

/** One record of every kind, dated `yearsAgo` years back, written straight to the database. */
async function addOldRecords(patientId: string, yearsAgo: number): Promise<void> {
  return t.inTenant(async (em) => {
    const tenantId = t.seed.tenantId;
    const at = new Date(Date.now() - yearsAgo * YEAR_MS);
    const patient = em.getReference(Patient, patientId);
    const code = { system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' };
    const team = await em.findOneOrFail(CareTeam, {}, { orderBy: { name: 'asc' } });
    const related = em.create(RelatedPerson, {
      tenantId,
      patient,
      relationship: 'CAREGIVER',
      name: { family: 'Vale', given: ['Kim'], prefix: [], suffix: [] } as never,
    });
    const encounter = em.create(Encounter, {
      tenantId,
      patient,
      status: EncounterStatus.FINISHED,
      class: EncounterClass.AMBULATORY,
      periodStart: at,
      periodEnd: at,
    });
    em.create(Observation, {
      tenantId,
      patient,
      encounter,
      status: ObservationStatus.FINAL,
      category: ObservationCategory.LABORATORY,
      code,
      valueQuantity: 6.1,
      unit: '%',
      effectiveAt: at,
    });
    em.create(Condition, {
      tenantId,
      patient,
      code,
      clinicalStatus: ConditionClinicalStatus.RESOLVED,
      recordedAt: at,
    });
    em.create(MedicationStatement, {
      tenantId,
      patient,
      medication: code,
      status: MedicationStatementStatus.COMPLETED,
      effectiveStart: at,
      effectiveEnd: at,
    });
    em.create(MedicationRequest, {
      tenantId,
      patient,
      medication: code,
      status: MedicationRequestStatus.COMPLETED,
      authoredOn: at,
    });
    em.create(AllergyIntolerance, { tenantId, patient, code, category: 'food', recordedAt: at });
    em.create(Immunization, { tenantId, patient, vaccineCode: code, occurrenceAt: at });
    em.create(Coverage, { tenantId, patient, payor: 'Old Mutual Health' });
    const plan = em.create(CarePlan, {
      tenantId,
      patient,
      title: 'Old plan',
      periodStart: at,
      periodEnd: at,
      createdAt: at,
    });
    em.create(CarePlanGoal, { tenantId, carePlan: plan, description: 'Walk daily' });
    em.create(CarePlanActivity, { tenantId, carePlan: plan, description: 'Check-in call' });
    em.create(CareTeamPatient, {
      tenantId,
      patient,
      careTeam: team,
      periodStart: at,
      periodEnd: at,
    });
    em.create(Communication, {
      tenantId,
      patient,
      relatedPerson: related,
      channel: CommunicationChannel.SMS,
      status: CommunicationStatus.DELIVERED,
      category: 'reminder',
      body: 'Your appointment is tomorrow',
      occurredAt: at,
    });
    em.create(Task, { tenantId, patient, title: 'Send records', carePlan: plan });
    em.create(User, {
      tenantId,
      email: `portal-${patientId}@example.org`,
      displayName: 'Erin Portal',
      kind: UserKind.PATIENT,
      roles: [Role.PATIENT],
      patient,
    });
    await em.flush();
  });
}

beforeAll(async () => {
  // A non-default retention period, to check that the setting reaches the service.
  t = await createTestHub({ config: { retentionYears: 11 } });
  const me = await t.graphql<{ me: { patient: { id: string } } }>(
    '{ me { patient { id } } }',
    {},
    { role: Role.PATIENT },
  );
  demoPatientId = me.body.data!.me.patient.id;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('erasure plan', () => {
  it('covers every entity tied to a patient, in an order that deletes children first', () => {
    const metadata = [...t.hub.orm.getMetadata().getAll().values()];
    const planned = PATIENT_RECORD_TABLES.map((table) => (table.entity as { name: string }).name);
    const tied = new Set(['Patient', ...planned]);
    let relations = 0;
    for (const meta of metadata) {
      for (const prop of Object.values(meta.properties)) {
        if (prop.kind !== 'm:1' || !tied.has(prop.type)) continue;
        relations += 1;
        const covered =
          planned.includes(meta.className) ||
          (PATIENT_RECORDS_KEPT as readonly string[]).includes(meta.className);
        expect([meta.className, prop.name, covered]).toEqual([meta.className, prop.name, true]);
        const from = planned.indexOf(meta.className);
        const to = planned.indexOf(prop.type);
        if (from >= 0 && to >= 0)
          expect([meta.className, 'before', prop.type, from < to]).toEqual([
            meta.className,
            'before',
            prop.type,
            true,
          ]);
      }
    }
    expect(relations).toBeGreaterThan(PATIENT_RECORD_TABLES.length);
  });
});

describe('erasePatient (issue 3: right to erasure)', () => {
  it('is for admins only, legal holds too', async () => {
    for (const role of [Role.PHYSICIAN, Role.FRONT_DESK, Role.PATIENT, Role.INTEGRATION]) {
      const erase = await t.graphql(ERASE, { patientId: demoPatientId, reason: 'r' }, { role });
      expect([role, errorOf(erase)?.extensions?.code]).toEqual([role, 'FORBIDDEN']);
      const hold = await t.graphql(PLACE, { patientId: demoPatientId, reason: 'r' }, { role });
      expect([role, errorOf(hold)?.extensions?.code]).toEqual([role, 'FORBIDDEN']);
      const list = await t.graphql(HOLDS, { patientId: demoPatientId }, { role });
      expect([role, errorOf(list)?.extensions?.code]).toEqual([role, 'FORBIDDEN']);
    }
  });

  it('refuses within the retention period, with the date erasure becomes possible', async () => {
    const res = await t.graphql(
      ERASE,
      { patientId: demoPatientId, reason: 'GDPR art. 17 request' },
      admin,
    );
    const error = errorOf(res)!;
    expect(error.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'RETENTION_PERIOD',
      basis: 'LAST_CLINICAL_ACTIVITY',
      retentionYears: 11,
    });
    const from = new Date(`${error.extensions!.erasableFrom as string}T00:00:00Z`);
    expect(from.getTime()).toBeGreaterThan(Date.now() + 10 * YEAR_MS);
    expect(from.getTime()).toBeLessThanOrEqual(Date.now() + 11 * YEAR_MS + 2 * 86_400_000);
    expect(
      await sql('select id from patient where id = ? and erased_at is null', [demoPatientId]),
    ).toHaveLength(1);
  });

  it('refuses under a legal hold until the hold is released', async () => {
    const hold = (
      await ok(
        t.graphql<{ placeLegalHold: { id: string; active: boolean } }>(
          PLACE,
          { patientId: demoPatientId, reason: 'Litigation hold, matter 2026-114' },
          admin,
        ),
      )
    ).placeLegalHold;
    expect(hold.active).toBe(true);
    const listed = await ok(
      t.graphql<{ legalHolds: { id: string }[] }>(HOLDS, { patientId: demoPatientId }, admin),
    );
    expect(listed.legalHolds.map((h) => h.id)).toEqual([hold.id]);

    const refused = await t.graphql(ERASE, { patientId: demoPatientId, reason: 'request' }, admin);
    expect(errorOf(refused)?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'LEGAL_HOLD',
      activeHolds: 1,
    });

    const released = await ok(
      t.graphql<{ releaseLegalHold: { active: boolean; releasedAt: string } }>(
        RELEASE,
        { id: hold.id },
        admin,
      ),
    );
    expect(released.releaseLegalHold.active).toBe(false);
    const again = await t.graphql(RELEASE, { id: hold.id }, admin);
    expect(errorOf(again)?.extensions?.code).toBe('CONFLICT');
    const afterRelease = await t.graphql(
      ERASE,
      { patientId: demoPatientId, reason: 'request' },
      admin,
    );
    expect(errorOf(afterRelease)?.extensions?.reason).toBe('RETENTION_PERIOD');
    const all = await ok(
      t.graphql<{ legalHolds: unknown[] }>(HOLDS, { patientId: demoPatientId, all: true }, admin),
    );
    expect(all.legalHolds).toHaveLength(1);

    const refusals = await t.inTenant((em) =>
      em.find(AuditEvent, {
        patientId: demoPatientId,
        type: 'patient.erase',
      }),
    );
    expect(refusals.map((row) => [row.outcome, row.detail.refused]).sort()).toEqual([
      ['4', 'LEGAL_HOLD'],
      ['4', 'RETENTION_PERIOD'],
      ['4', 'RETENTION_PERIOD'],
    ]);
  });

  it('requires a reason', async () => {
    const res = await t.graphql(ERASE, { patientId: demoPatientId, reason: '  ' }, admin);
    expect(errorOf(res)?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('when the law allows it', () => {
    let patientId: string;
    let loserId: string;
    let planIds: string[];
    let relatedIds: string[];

    beforeAll(async () => {
      patientId = await createPatient('Quillfeather', 'ER-1');
      loserId = await createPatient('Quilfeather', 'ER-2');
      await addOldRecords(patientId, 12);
      await addOldRecords(loserId, 13);
      await ok(
        t.graphql(
          'mutation($s: ID!, $l: ID!) { mergePatients(survivorId: $s, loserId: $l) { id } }',
          { s: patientId, l: loserId },
          admin,
        ),
      );
      const practitioner = await t.inTenant((em) =>
        em.findOneOrFail(Practitioner, { npi: { $ne: null } }),
      );
      const start = new Date(Date.now() + 400 * 24 * 3600_000);
      start.setUTCMinutes(0, 0, 0);
      await ok(
        t.graphql(
          'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
          {
            input: {
              patientId,
              practitionerId: practitioner.id,
              start: start.toISOString(),
              end: new Date(start.getTime() + 1800_000).toISOString(),
            },
          },
          { role: Role.FRONT_DESK },
        ),
      );
      await ok(
        t.graphql(
          'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }',
          { input: { patientId, scope: 'TREATMENT', purpose: 'TREATMENT', source: 'portal' } },
          { role: Role.FRONT_DESK },
        ),
      );
      const hold = await ok(
        t.graphql<{ placeLegalHold: { id: string } }>(PLACE, { patientId, reason: 'Audit' }, admin),
      );
      await ok(t.graphql(RELEASE, { id: hold.placeLegalHold.id }, admin));
      await ok(
        t.graphql<{ exportPatientData: { id: string } }>(
          'mutation($p: ID!) { exportPatientData(patientId: $p) { id } }',
          { p: patientId },
          admin,
          COMPLIANCE,
        ),
      );
      planIds = (
        await sql<{ id: string }>('select id from care_plan where patient_id = ?', [patientId])
      ).map((r) => r.id);
      relatedIds = (
        await sql<{ id: string }>('select id from related_person where patient_id = ?', [patientId])
      ).map((r) => r.id);
      expect(planIds).toHaveLength(2);
    }, 60_000);

    it('deletes every record in one transaction and leaves a tombstone', async () => {
      const before = await sql<{ n: string }>(
        'select count(*) as n from provenance where target in (?, ?)',
        [`Patient/${patientId}`, `Patient/${loserId}`],
      );
      expect(Number(before[0].n)).toBeGreaterThan(0);
      const data = await ok(
        t.graphql<{
          erasePatient: { patientId: string; deletedRecords: number; mergedRecordsErased: number };
        }>(ERASE, { patientId, reason: 'Erasure request of 2026-12-01 (ticket DPO-42)' }, admin),
      );
      expect(data.erasePatient).toMatchObject({ patientId, mergedRecordsErased: 1 });
      expect(data.erasePatient.deletedRecords).toBeGreaterThan(30);

      for (const table of PATIENT_RECORD_TABLES) {
        const name = t.hub.orm.getMetadata().get(table.entity).tableName;
        const rows =
          table.via === 'patient'
            ? await sql(`select id from "${name}" where patient_id in (?, ?)`, [patientId, loserId])
            : await sql(`select id from "${name}" where care_plan_id in (?, ?)`, planIds);
        expect([name, rows.length]).toEqual([name, 0]);
      }
      expect(
        await sql('select id from "user" where patient_id in (?, ?)', [patientId, loserId]),
      ).toEqual([]);
      expect(
        await sql('select id from patient_data_export where patient_id = ?', [patientId]),
      ).toEqual([]);
      expect(relatedIds).toHaveLength(2);
      expect(
        await sql('select id from "user" where related_person_id in (?, ?)', relatedIds),
      ).toEqual([]);
      const provenance = await sql<{ target: string; activity: string; reason: string }>(
        "select target, activity, reason from provenance where target like 'Patient/%' and target in (?, ?)",
        [`Patient/${patientId}`, `Patient/${loserId}`],
      );
      expect(provenance).toEqual([
        {
          target: `Patient/${patientId}`,
          activity: 'delete',
          reason: 'Erasure request of 2026-12-01 (ticket DPO-42)',
        },
      ]);

      const tombstones = await sql<Record<string, unknown>>(
        'select * from patient where id in (?, ?) order by id',
        [patientId, loserId],
      );
      expect(tombstones).toHaveLength(2);
      for (const row of tombstones) {
        expect(row.erased_at).not.toBeNull();
        expect(row).toMatchObject({
          active: false,
          birth_date: null,
          gender: null,
          family_search: '',
          given_search: '',
          preferred_language: null,
          time_zone: null,
          replaced_by_id: null,
        });
        expect(JSON.stringify([row.names, row.telecom, row.address])).toBe('[[],[],[]]');
      }
      expect(await sql('select id from legal_hold where patient_id = ?', [patientId])).toHaveLength(
        1,
      );
    });

    it('is audited without PHI, and the audit chain still verifies', async () => {
      const rows = await t.inTenant((em) =>
        em.find(AuditEvent, { patientId, type: 'patient.erase' }),
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'D', outcome: '0', entity: `Patient/${patientId}` });
      expect(Object.keys(rows[0].detail).sort()).toEqual([
        'deletedRecords',
        'mergedRecordsErased',
        'method',
      ]);
      expect(JSON.stringify(rows[0])).not.toMatch(/Quill|DPO-42/);
      const report = await verifyAuditChain(t.hub.orm, t.seed.tenantId);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    });

    it('leaves the patient unfindable, and says it was erased', async () => {
      const byId = await t.graphql(
        'query($id: ID!) { patient(id: $id) { id } }',
        { id: patientId },
        admin,
      );
      expect(errorOf(byId)?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        erased: true,
        id: patientId,
      });
      const search = await ok(
        t.graphql<{ patients: { edges: unknown[] } }>(
          '{ patients(search: { name: "quill", includeInactive: true }) { edges { node { id } } } }',
          {},
          admin,
        ),
      );
      expect(search.patients.edges).toEqual([]);
      const all = await ok(
        t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
          '{ patients(first: 100, search: { includeInactive: true }) { edges { node { id } } } }',
          {},
          admin,
        ),
      );
      expect(all.patients.edges.map((e) => e.node.id)).not.toContain(patientId);
      const byIdentifier = await ok(
        t.graphql<{ patientByIdentifier: unknown }>(
          'query($s: String!, $v: String!) { patientByIdentifier(system: $s, value: $v) { id } }',
          { s: MRN, v: 'ER-1' },
          admin,
        ),
      );
      expect(byIdentifier.patientByIdentifier).toBeNull();
      const exportAgain = await t.graphql(
        'mutation($p: ID!) { exportPatientData(patientId: $p) { id } }',
        { p: patientId },
        admin,
        COMPLIANCE,
      );
      expect(errorOf(exportAgain)?.extensions).toMatchObject({ code: 'NOT_FOUND', erased: true });
      const eraseAgain = await t.graphql(ERASE, { patientId, reason: 'again' }, admin);
      expect(errorOf(eraseAgain)?.extensions).toMatchObject({ code: 'NOT_FOUND', erased: true });
      // The identifier is free again: one identifier names one person, and that person is gone.
      const reused = await createPatient('Newcomer', 'ER-1');
      expect(reused).not.toBe(patientId);
    });
  });
});
