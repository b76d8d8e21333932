import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  adminUrlFrom,
  databaseUrl,
  insertRows,
  prepareBenchDatabase,
  withClient,
} from '../shared/bench-database.js';
import { runIfMain } from '../shared/child-process.js';
import { CARE_TEAM_MEMBER_COLUMNS, USER_COLUMNS } from '../shared/staff-columns.js';
import {
  CARE_TEAM_ROLES,
  CITIES,
  CONDITIONS,
  FAMILY_NAMES,
  FEMALE_GIVEN,
  LABS,
  MALE_GIVEN,
  MEDICATIONS,
  SERVICE_TYPES,
  SPECIALTIES,
  STREETS,
  VITALS,
  column,
} from './clinical-values.js';
import * as SQL from './clinical-rows-sql.js';

/** What the benchmark needs to know about a generated database. */
export interface BenchDatabase {
  name: string;
  url: string;
  tenantId: string;
  /** The physician the benchmark signs in as. */
  userId: string;
  practitionerId: string;
  /** Patients on the physician's care teams: the rotating set the load tool asks for. */
  patientIds: string[];
  patientCount: number;
}

const TENANT_SLUG = 'bench-clinic';
const PHYSICIAN_EMAIL = 'bench.physician@bench-clinic.example';
const PRACTITIONERS = 50;
const CARE_TEAMS = 40;

const json = (value: unknown) => JSON.stringify(value);
const daysAgo = (days: number, hours = 0) =>
  new Date(Date.now() - days * 86_400_000 + hours * 3_600_000);

interface Staff {
  tenantId: string;
  practitionerIds: string[];
  careTeamIds: string[];
  userId: string;
}

function practitionerRow(tenantId: string, id: string, j: number): unknown[] {
  const female = j % 2 === 1;
  const given = (female ? FEMALE_GIVEN : MALE_GIVEN)[(j * 7) % 30];
  const family = FAMILY_NAMES[(j * 11 + 3) % FAMILY_NAMES.length];
  const [prefix, suffix] =
    j < 30 ? [['Dr.'], ['MD']] : j < 42 ? [[], ['RN']] : [[], [['PharmD', 'RD', 'LCSW'][j % 3]]];
  const name = { use: 'official', family, given: [given], prefix, suffix };
  const specialty =
    j < 30 ? { system: 'http://snomed.info/sct', ...SPECIALTIES[j % SPECIALTIES.length] } : null;
  const email = `${given}.${family}.${j}@bench-clinic.example`.toLowerCase();
  const telecom = [
    { system: 'phone', value: `+1872555${String(1000 + j)}`, use: 'work', rank: 1 },
    { system: 'email', value: email, use: 'work', rank: 2 },
  ];
  const created = daysAgo(1500 - j);
  return [
    id,
    tenantId,
    created,
    created,
    true,
    json(name),
    j < 30 ? String(1_000_000_000 + j * 7_919) : null,
    specialty && json(specialty),
    json(telecom),
  ];
}

/** Tenant, practitioners, care teams with members, and the physician user the benchmark uses. */
async function insertStaff(client: pg.Client): Promise<Staff> {
  const tenantId = randomUUID();
  await insertRows(
    client,
    'tenant',
    ['id', 'slug', 'name', 'created_at'],
    [[tenantId, TENANT_SLUG, 'CareGraph Bench Clinic', daysAgo(1600)]],
  );

  const practitionerIds = Array.from({ length: PRACTITIONERS }, () => randomUUID());
  await insertRows(
    client,
    'practitioner',
    [
      'id',
      'tenant_id',
      'created_at',
      'updated_at',
      'active',
      'name',
      'npi',
      'specialty',
      'telecom',
    ],
    practitionerIds.map((id, j) => practitionerRow(tenantId, id, j)),
  );

  const careTeamIds = Array.from({ length: CARE_TEAMS }, () => randomUUID());
  const category = json({
    system: 'http://loinc.org',
    code: 'LA28865-6',
    display: 'Longitudinal care-coordination focused care team',
  });
  const teamName = (t: number) =>
    t < 24
      ? `Primary Care Panel ${t + 1}`
      : t < 32
        ? `Diabetes & Endocrine Team ${t - 23}`
        : t < 36
          ? `Heart Failure Clinic ${t - 31}`
          : `CKD Program ${t - 35}`;
  await insertRows(
    client,
    'care_team',
    ['id', 'tenant_id', 'created_at', 'updated_at', 'name', 'status', 'category', 'description'],
    careTeamIds.map((id, t) => [
      id,
      tenantId,
      daysAgo(1400 - t),
      daysAgo(1400 - t),
      teamName(t),
      'active',
      category,
      `Panel ${t + 1} of the bench clinic.`,
    ]),
  );

  const members: unknown[][] = [];
  const role = (r: number) => json({ system: 'http://snomed.info/sct', ...CARE_TEAM_ROLES[r] });
  const member = (t: number, p: number, r: number, order: number, endedDaysAgo?: number) => {
    const start = daysAgo(1300 - t, order);
    members.push([
      randomUUID(),
      tenantId,
      start,
      start,
      careTeamIds[t],
      practitionerIds[p],
      role(r),
      start,
      endedDaysAgo ? daysAgo(endedDaysAgo) : null,
    ]);
  };
  careTeamIds.forEach((_id, t) => {
    member(t, t % 30, 0, 0);
    if (t >= 1 && t <= 3) member(t, 0, 0, 1); // the bench physician covers panels 1-4 (and 31)
    member(t, 30 + (t % 12), 1, 2);
    member(t, 30 + ((t + 5) % 12), 2, 3);
    if (t % 2 === 0) member(t, 42 + (t % 3), 3, 4);
    if (t % 3 === 0) member(t, 45 + (t % 5), 4 + (t % 2), 5);
    if (t % 5 === 0) member(t, (t + 7) % 30, 0, 6, 180); // a physician who left the team
  });
  await insertRows(client, 'care_team_member', CARE_TEAM_MEMBER_COLUMNS, members);

  const userId = randomUUID();
  await insertRows(client, 'user', USER_COLUMNS, [
    [
      userId,
      tenantId,
      daysAgo(1300),
      daysAgo(1300),
      PHYSICIAN_EMAIL,
      'Bench Physician',
      'practitioner',
      ['physician'],
      true,
      practitionerIds[0],
    ],
  ]);
  return { tenantId, practitionerIds, careTeamIds, userId };
}

/**
 * Inserts patients `from..to` (`head`: tenant id, seed, from, to) with names, contacts and
 * addresses from the clinical value lists; ids are `md5(seed:p:i)::uuid`.
 */
export async function insertPatients(client: pg.Client, head: unknown[]): Promise<void> {
  await client.query(SQL.INSERT_PATIENTS, [
    ...head,
    FEMALE_GIVEN,
    MALE_GIVEN,
    FAMILY_NAMES,
    STREETS,
    CITIES.map((c) => c[0]),
    CITIES.map((c) => c[1]),
    CITIES.map((c) => c[2]),
  ]);
}

/** Inserts patients `from..to` and all their related rows. */
async function insertPatientBatch(
  client: pg.Client,
  staff: Staff,
  seed: string,
  from: number,
  to: number,
): Promise<void> {
  const head = [staff.tenantId, seed, from, to];
  const codes = [...VITALS, ...LABS];
  await insertPatients(client, head);
  await client.query(SQL.INSERT_IDENTIFIERS, head);
  await client.query(SQL.INSERT_ENROLMENTS, [...head, staff.careTeamIds]);
  await client.query(SQL.INSERT_APPOINTMENTS, [
    ...head,
    staff.practitionerIds.slice(0, 42),
    column(SERVICE_TYPES, 'code'),
    column(SERVICE_TYPES, 'display'),
  ]);
  await client.query(SQL.INSERT_OBSERVATIONS, [
    ...head,
    column(codes, 'code'),
    column(codes, 'display'),
    column(codes, 'unit'),
    column(codes, 'category'),
    codes.map((c) => c.low),
    codes.map((c) => c.high),
    codes.map((c) => c.mean),
    codes.map((c) => c.spread),
    VITALS.length,
  ]);
  await client.query(SQL.INSERT_CONDITIONS, [
    ...head,
    column(CONDITIONS, 'code'),
    column(CONDITIONS, 'display'),
  ]);
  await client.query(SQL.INSERT_MEDICATIONS, [
    ...head,
    column(MEDICATIONS, 'code'),
    column(MEDICATIONS, 'display'),
    column(MEDICATIONS, 'dosage'),
  ]);
}

/** Reads what the benchmark needs from a generated database (also used with `--reuse`). */
export async function describeBenchDatabase(
  adminUrl: string,
  name: string,
): Promise<BenchDatabase> {
  const url = databaseUrl(adminUrl, name);
  return withClient(url, async (client) => {
    const user = await client.query<{ id: string; tenant_id: string; practitioner_id: string }>(
      `select u.id, u.tenant_id, u.practitioner_id from "user" u join tenant t on t.id = u.tenant_id where t.slug = $1 and u.email = $2`,
      [TENANT_SLUG, PHYSICIAN_EMAIL],
    );
    if (user.rowCount !== 1)
      throw new Error(`${name} is not a graphql-read benchmark database (no bench physician)`);
    const { id: userId, tenant_id: tenantId, practitioner_id: practitionerId } = user.rows[0];
    const patients = await client.query<{ patient_id: string }>(
      `select distinct ctp.patient_id from care_team_patient ctp
         join care_team_member m on m.care_team_id = ctp.care_team_id
        where m.practitioner_id = $1 and m.period_end is null and ctp.period_end is null
        order by ctp.patient_id`,
      [practitionerId],
    );
    const count = await client.query<{ n: string }>(
      `select count(*) as n from patient where tenant_id = $1`,
      [tenantId],
    );
    return {
      name,
      url,
      tenantId,
      userId,
      practitionerId,
      patientIds: patients.rows.map((r) => r.patient_id),
      patientCount: Number(count.rows[0].n),
    };
  });
}

/** Options of `generateBenchDatabase`. */
export interface GenerateOptions {
  adminUrl: string;
  patients: number;
  batchSize?: number;
  log?: (message: string) => void;
}

/**
 * Creates a fresh database, applies CareGraph's migrations and bulk-loads `patients` patients
 * with care teams, identifiers, appointments, observations, conditions and medications.
 */
export async function generateBenchDatabase(options: GenerateOptions): Promise<BenchDatabase> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const name = await prepareBenchDatabase(
    options.adminUrl,
    async (client, seed) => {
      const staff = await insertStaff(client);
      const batch = options.batchSize ?? 2_000;
      for (let from = 1; from <= options.patients; from += batch) {
        const to = Math.min(from + batch - 1, options.patients);
        await insertPatientBatch(client, staff, seed, from, to);
        log(
          `  patients ${to}/${options.patients} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
    },
    log,
  );
  return describeBenchDatabase(options.adminUrl, name);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'database-url': { type: 'string' }, patients: { type: 'string', default: '10000' } },
  });
  const db = await generateBenchDatabase({
    adminUrl: adminUrlFrom(values['database-url']),
    patients: Number(values.patients),
    log: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(`${db.name}\n`);
}

runIfMain(import.meta.url, main);
