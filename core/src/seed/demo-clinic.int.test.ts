import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ALL_ROLES,
  Appointment,
  AppointmentStatus,
  CareTeam,
  CareTeamMember,
  CareTeamPatient,
  Condition,
  Consent,
  ConsentPurpose,
  ConsentScope,
  Observation,
  ObservationCategory,
  Patient,
  PatientIdentifier,
  Practitioner,
  Role,
  SLOT_HOLDING_APPOINTMENT_STATUSES,
  Tenant,
  User,
  UserKind,
} from '@caregraph/schema';
import {
  createOrm,
  forkForTenant,
  migrateDatabase,
  type EntityManager,
  type MikroORM,
} from '../db/create-orm.js';
import { ErrorCode } from '../errors/caregraph-error.js';
import { Keyring } from '../crypto/keyring.js';
import { LocalKeyProvider } from '../crypto/local-key-provider.js';
import {
  isDatabaseEmpty,
  npiWithCheckDigit,
  seedDemoClinic,
  type DemoClinicSeed,
} from './demo-clinic.js';
import { buildPatientProfiles } from './patients.js';
import { DEMO_EMAIL_DOMAIN, IDENTIFIER_SYSTEMS } from './people.js';
import { ageOn, PEOPLE_SEED, SeedRandom } from './random.js';

const NOW = new Date('2026-03-10T15:00:00Z');
const databaseUrl = process.env.CAREGRAPH_TEST_DATABASE_URL;

/** Keys for the seed's encrypted fields, for this suite only. */
function ephemeralKeyring(): Keyring {
  return new Keyring(new LocalKeyProvider(randomBytes(32)));
}

interface OpenedDatabase {
  orm: MikroORM;
  /** Schema-qualified table name for raw SQL. */
  table(name: string): string;
  dispose(): Promise<void>;
}

const databases: { name: string; open(): Promise<OpenedDatabase> }[] = [
  {
    name: 'PGlite (in memory)',
    open: async () => {
      const orm = await createOrm({ kind: 'pglite-memory' }, { keyring: ephemeralKeyring() });
      await migrateDatabase(orm);
      return { orm, table: (name) => `"${name}"`, dispose: () => orm.close() };
    },
  },
];
if (databaseUrl) {
  databases.push({
    name: 'PostgreSQL',
    open: async () => {
      const schema = `cg_seed_${randomBytes(5).toString('hex')}`;
      const orm = await createOrm(
        { kind: 'postgres', url: databaseUrl, schema },
        { keyring: ephemeralKeyring() },
      );
      const connection = orm.em.getConnection();
      await connection.execute(`create schema if not exists "${schema}"`);
      // migrateDatabase() would run the DDL in the session's search_path (public), not in
      // `schema`: createOrm does not pass the schema to the migrator. Pass it explicitly.
      await orm.migrator.up({ schema });
      return {
        orm,
        table: (name) => `"${schema}"."${name}"`,
        dispose: async () => {
          await connection.execute(`drop schema if exists "${schema}" cascade`);
          await orm.close(true);
        },
      };
    },
  });
}

describe('demo clinic profiles', () => {
  it('are deterministic and start with the hand-written patients', () => {
    const first = buildPatientProfiles(new SeedRandom(PEOPLE_SEED), 50);
    const second = buildPatientProfiles(new SeedRandom(PEOPLE_SEED), 50);
    expect(second).toEqual(first);
    expect(first.slice(0, 3).map((p) => `${p.given[0]} ${p.family}`)).toEqual([
      'Emma Johnson',
      'José Núñez',
      'Zoë Ångström',
    ]);
    expect(new Set(first.map((p) => p.ssn)).size).toBe(50);
  });

  it('computes NPI check digits', () => {
    expect(npiWithCheckDigit('123456789')).toBe('1234567893');
  });
});

describe.each(databases)('seedDemoClinic on $name', (database) => {
  let db: OpenedDatabase;
  let seed: DemoClinicSeed;
  let em: EntityManager;
  let emptyBefore: boolean;
  let emptyAfter: boolean;
  let tookMs: number;

  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    db.orm.em.getConnection().execute(query, params) as Promise<T[]>;

  beforeAll(async () => {
    db = await database.open();
    emptyBefore = await isDatabaseEmpty(db.orm);
    const started = performance.now();
    seed = await seedDemoClinic(db.orm, { now: NOW });
    tookMs = performance.now() - started;
    emptyAfter = await isDatabaseEmpty(db.orm);
    em = forkForTenant(db.orm, seed.tenantId);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('seeds only an empty database, once', async () => {
    expect(emptyBefore).toBe(true);
    expect(emptyAfter).toBe(false);
    expect(tookMs).toBeGreaterThan(0);
    await expect(seedDemoClinic(db.orm, { now: NOW })).rejects.toMatchObject({
      code: ErrorCode.CONFLICT,
    });
    const tenant = await em.findOneOrFail(Tenant, { slug: 'demo-clinic' });
    expect(tenant).toMatchObject({ id: seed.tenantId, name: 'CareGraph Demo Clinic' });
    expect(seed).toMatchObject({ tenantSlug: 'demo-clinic', patientCount: 50 });
  });

  it('creates 50 patients, each with an MRN and an SSN-shaped identifier', async () => {
    const patients = await em.find(Patient, {});
    expect(patients).toHaveLength(50);
    const identifiers = await em.find(PatientIdentifier, {});
    for (const patient of patients) {
      const own = identifiers.filter((identifier) => identifier.patient.id === patient.id);
      const mrn = own.filter((identifier) => identifier.system === IDENTIFIER_SYSTEMS.mrn);
      const ssn = own.filter((identifier) => identifier.system === IDENTIFIER_SYSTEMS.ssn);
      expect(mrn).toHaveLength(1);
      expect(mrn[0]).toMatchObject({ type: 'MR', use: 'usual', assigner: 'CareGraph Demo Clinic' });
      expect(mrn[0].value).toMatch(/^MRN\d{7}$/);
      expect(ssn).toHaveLength(1);
      expect(ssn[0]).toMatchObject({ type: 'SS', use: 'official' });
      expect(ssn[0].value).toMatch(/^\d{3}-\d{2}-\d{4}$/);
      expect(Number(ssn[0].value.slice(0, 3))).toBeGreaterThanOrEqual(900);
    }
  });

  it('gives patients realistic demographics', async () => {
    const patients = await em.find(Patient, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    for (const patient of patients) {
      expect(patient.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const age = ageOn(patient.birthDate!, NOW);
      expect(age).toBeGreaterThanOrEqual(1);
      expect(age).toBeLessThanOrEqual(95);
      expect(patient.telecom.length).toBeGreaterThan(0);
      expect(patient.address[0]).toMatchObject({ country: 'US' });
    }
    const zones = new Set(patients.map((p) => p.timeZone));
    expect([...zones].sort()).toEqual([
      'America/Chicago',
      'America/Denver',
      'America/Los_Angeles',
      'America/New_York',
    ]);
    const languages = patients.map((p) => p.preferredLanguage);
    expect(languages.filter((l) => l === 'en').length).toBeGreaterThan(25);
    expect(languages).toEqual(expect.arrayContaining(['es', 'vi', 'zh']));
    expect(patients.some((p) => p.telecom.some((t) => t.system === 'email' && t.verifiedAt))).toBe(
      true,
    );
    expect(patients.some((p) => p.telecom.some((t) => t.system === 'sms'))).toBe(true);
    const folded = patients.map((p) => p.familySearch);
    expect(folded).toEqual(expect.arrayContaining(['nunez', 'angstrom']));
    expect(patients.map((p) => p.names[0].family)).toEqual(
      expect.arrayContaining(['Núñez', 'Ångström']),
    );
  });

  it('creates 8 practitioners and 5 care teams', async () => {
    const practitioners = await em.find(Practitioner, {});
    expect(practitioners).toHaveLength(8);
    for (const practitioner of practitioners) {
      expect(practitioner.npi).toMatch(/^\d{10}$/);
      expect(practitioner.specialty?.system).toBe('http://snomed.info/sct');
    }
    const teams = await em.find(CareTeam, {});
    expect(teams.map((team) => team.name).sort()).toEqual([
      'Behavioral Health',
      'Cardiology',
      'Diabetes Program',
      'Primary Care A',
      'Primary Care B',
    ]);
    const members = await em.find(CareTeamMember, {});
    for (const team of teams)
      expect(members.some((member) => member.careTeam.id === team.id)).toBe(true);
  });

  it('enrols every patient on a team, some on two', async () => {
    const patients = await em.find(Patient, {});
    const enrolments = await em.find(CareTeamPatient, {});
    const perPatient = new Map<string, number>();
    for (const enrolment of enrolments)
      perPatient.set(enrolment.patient.id, (perPatient.get(enrolment.patient.id) ?? 0) + 1);
    for (const patient of patients)
      expect(perPatient.get(patient.id) ?? 0).toBeGreaterThanOrEqual(1);
    expect([...perPatient.values()].filter((count) => count >= 2).length).toBeGreaterThan(5);
  });

  it('creates a user of every role; the first of each is a sensible default', async () => {
    const users = await em.find(
      User,
      {},
      { orderBy: { createdAt: 'asc' }, populate: ['practitioner', 'patient'] },
    );
    expect(users.map((user) => user.id).sort()).toEqual(seed.users.map((user) => user.id).sort());
    for (const role of ALL_ROLES)
      expect(users.some((user) => user.roles.includes(role))).toBe(true);
    for (const user of users) expect(user.email.endsWith(`@${DEMO_EMAIL_DOMAIN}`)).toBe(true);
    const firstOf = (role: Role) => users.find((user) => user.roles.includes(role))!;
    expect(firstOf(Role.PHYSICIAN).practitioner?.name.family).toBe('Bennett');
    expect(firstOf(Role.NURSE).practitioner?.name.family).toBe('Kim');
    expect(firstOf(Role.INTEGRATION)).toMatchObject({
      kind: UserKind.INTEGRATION,
      email: `hl7-interface@${DEMO_EMAIL_DOMAIN}`,
    });
    const patientUser = firstOf(Role.PATIENT);
    expect(patientUser.kind).toBe(UserKind.PATIENT);
    const mrn = await em.findOneOrFail(PatientIdentifier, {
      patient: patientUser.patient!.id,
      system: IDENTIFIER_SYSTEMS.mrn,
    });
    expect(mrn.value).toBe('MRN0001001');

    // The first patient's team includes the first physician and the first nurse.
    const teams = (await em.find(CareTeamPatient, { patient: patientUser.patient!.id })).map(
      (enrolment) => enrolment.careTeam.id,
    );
    const members = await em.find(CareTeamMember, { careTeam: { $in: teams } });
    const memberIds = new Set(members.map((member) => member.practitioner.id));
    expect(memberIds.has(firstOf(Role.PHYSICIAN).practitioner!.id)).toBe(true);
    expect(memberIds.has(firstOf(Role.NURSE).practitioner!.id)).toBe(true);
  });

  it('books past and future appointments without double-booking a practitioner', async () => {
    const appointments = await em.find(Appointment, {});
    const past = appointments.filter((a) => a.end <= NOW);
    const future = appointments.filter((a) => a.start > NOW);
    expect(past.length).toBeGreaterThan(50);
    expect(future.length).toBeGreaterThanOrEqual(50);
    expect(future.every((a) => a.status === AppointmentStatus.BOOKED)).toBe(true);
    expect(past.some((a) => a.status === AppointmentStatus.FULFILLED)).toBe(true);
    expect(
      past.some(
        (a) => a.status === AppointmentStatus.NO_SHOW || a.status === AppointmentStatus.CANCELLED,
      ),
    ).toBe(true);
    expect(future.some((a) => a.telehealthUrl?.startsWith('https://'))).toBe(true);
    for (const appointment of appointments) {
      expect(appointment.end.getTime() - appointment.start.getTime()).toBe(30 * 60_000);
      const actors = appointment.participants.map((p) => `${p.actorType}/${p.actorId}`);
      expect(actors).toEqual(
        expect.arrayContaining([
          `Patient/${appointment.patient.id}`,
          `Practitioner/${appointment.practitioner!.id}`,
        ]),
      );
    }

    const holding = SLOT_HOLDING_APPOINTMENT_STATUSES.map((status) => `'${status}'`).join(', ');
    const overlaps = await sql<{ n: number }>(
      `select count(*)::int as n from ${db.table('appointment')} a join ${db.table('appointment')} b
         on a.practitioner_id = b.practitioner_id and a.id < b.id and a.start < b."end" and b.start < a."end"
       where a.tenant_id = ? and a.status in (${holding}) and b.status in (${holding})`,
      [seed.tenantId],
    );
    expect(overlaps[0].n).toBe(0);

    const offTeam = await sql<{ n: number }>(
      `select count(*)::int as n from ${db.table('appointment')} a
       where a.tenant_id = ? and not exists (
         select 1 from ${db.table('care_team_patient')} ctp
         join ${db.table('care_team_member')} ctm on ctm.care_team_id = ctp.care_team_id
         where ctp.patient_id = a.patient_id and ctm.practitioner_id = a.practitioner_id)`,
      [seed.tenantId],
    );
    expect(offTeam[0].n).toBe(0);
  });

  it('gives every patient a clinical record', async () => {
    const count = async (table: string) =>
      sql<{ patient_id: string; n: number }>(
        `select patient_id, count(*)::int as n from ${db.table(table)} where tenant_id = ? group by patient_id`,
        [seed.tenantId],
      ).then((rows) => new Map(rows.map((row) => [row.patient_id, row.n])));
    const patients = await em.find(Patient, {});
    const conditions = await count('condition');
    const observations = await count('observation');
    const encounters = await count('encounter');
    const coverages = await count('coverage');
    const immunizations = await count('immunization');
    for (const patient of patients) {
      expect(conditions.get(patient.id)).toBeGreaterThanOrEqual(1);
      expect(conditions.get(patient.id)).toBeLessThanOrEqual(3);
      expect(observations.get(patient.id)).toBeGreaterThanOrEqual(6);
      expect(observations.get(patient.id)).toBeLessThanOrEqual(15);
      expect(encounters.get(patient.id)).toBeGreaterThanOrEqual(1);
      expect(encounters.get(patient.id)).toBeLessThanOrEqual(4);
      expect(coverages.get(patient.id)).toBe(1);
      expect(immunizations.get(patient.id)).toBeGreaterThanOrEqual(1);
      expect(immunizations.get(patient.id)).toBeLessThanOrEqual(2);
    }
    const depression = await em.find(Condition, { code: { code: '35489007' } });
    expect(depression.length).toBeGreaterThan(0);
    expect(depression.every((condition) => condition.securityLabels.includes('PSY'))).toBe(true);
    const labs = await em.find(Observation, { category: ObservationCategory.LABORATORY });
    for (const loinc of ['4548-4', '2093-3', '2345-7', '718-7'])
      expect(labs.some((lab) => lab.code.code === loinc)).toBe(true);
    expect(
      labs.every(
        (lab) =>
          lab.effectiveAt < NOW && lab.effectiveAt.getTime() > NOW.getTime() - 731 * 86_400_000,
      ),
    ).toBe(true);
    expect(labs.every((lab) => ['N', 'H', 'L'].includes(lab.interpretation!) && lab.unit)).toBe(
      true,
    );
    expect(labs.filter((lab) => lab.releasedToPatient).length / labs.length).toBeGreaterThan(0.7);
    const totals = await sql<Record<string, number>>(
      `select ${[
        'medication_statement',
        'medication_request',
        'allergy_intolerance',
        'care_plan',
        'care_plan_goal',
        'care_plan_activity',
        'task',
        'communication',
        'related_person',
      ]
        .map(
          (table) =>
            `(select count(*)::int from ${db.table(table)} where tenant_id = ?) as ${table}`,
        )
        .join(', ')}`,
      Array(9).fill(seed.tenantId),
    );
    for (const [table, n] of Object.entries(totals[0]))
      expect([table, n > 0]).toEqual([table, true]);
  });

  it('records consents and sends messages only on consented channels', async () => {
    const patients = await em.find(Patient, {});
    const consents = await em.find(Consent, {});
    for (const patient of patients) {
      expect(
        consents.some((c) => c.patient.id === patient.id && c.scope === ConsentScope.TREATMENT),
      ).toBe(true);
    }
    expect(
      consents.some((c) => c.purpose === ConsentPurpose.MARKETING && c.decision === 'deny'),
    ).toBe(true);
    expect(consents.some((c) => c.purpose === ConsentPurpose.PROXY_ACCESS && c.grantee)).toBe(true);
    const unconsented = await sql<{ n: number }>(
      `select count(*)::int as n from ${db.table('communication')} m
       where m.tenant_id = ? and not exists (
         select 1 from ${db.table('consent')} c where c.patient_id = m.patient_id and c.purpose = 'care-reminders'
           and c.decision = 'permit' and c.status = 'active' and c.channel = m.channel)`,
      [seed.tenantId],
    );
    expect(unconsented[0].n).toBe(0);
  });

  it('stores every row under the demo tenant', async () => {
    for (const table of [
      'patient',
      'appointment',
      'observation',
      'consent',
      'task',
      'care_plan_goal',
      'user',
    ]) {
      const rows = await sql<{ n: number }>(
        `select count(*)::int as n from ${db.table(table)} where tenant_id <> ?`,
        [seed.tenantId],
      );
      expect(rows[0].n).toBe(0);
    }
  });
});
