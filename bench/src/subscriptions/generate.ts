import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import {
  adminUrlFrom,
  databaseUrl,
  insertRows,
  insertRowsChunked,
  prepareBenchDatabase,
  withClient,
} from '../shared/bench-database.js';
import { runIfMain } from '../shared/child-process.js';
import { CARE_TEAM_MEMBER_COLUMNS, USER_COLUMNS } from '../shared/staff-columns.js';
import { insertPatients } from '../graphql-read/generate.js';
import {
  CARE_TEAM_ROLES,
  FAMILY_NAMES,
  FEMALE_GIVEN,
  MALE_GIVEN,
} from '../graphql-read/clinical-values.js';

/** A practitioner user who follows `careTeamFeed`: one per subscription. */
export interface Subscriber {
  userId: string;
  team: number;
}

/** What an event is about: a patient of one team and that patient's task (the subject). */
export interface EventTarget {
  patientId: string;
  taskId: string;
  team: number;
}

/** What the benchmark needs to know about a generated database. */
export interface SubscriptionsDatabase {
  name: string;
  url: string;
  tenantId: string;
  /** The integration account the event source publishes as. */
  sourceUserId: string;
  teams: number;
  /** Every subscriber, ordered by team. */
  subscribers: Subscriber[];
  /** Every patient with their task, in the order events cycle through them. */
  events: EventTarget[];
}

const TENANT_SLUG = 'bench-subscriptions';
const SOURCE_EMAIL = 'event-source@bench-subscriptions.example';

/** Options of `generateSubscriptionsDatabase`. */
export interface GenerateSubscriptionsOptions {
  adminUrl: string;
  /** Care teams, each with `membersPerTeam` practitioner users. */
  teams: number;
  membersPerTeam: number;
  patientsPerTeam: number;
  log?: (message: string) => void;
}

/** The title and description of every generated task. */
export const TASK_TITLE = 'Review home blood pressure log';
export const TASK_DESCRIPTION = 'Call the patient if the weekly average is above 140/90.';

const PATIENT_ID = `md5($2 || ':p:' || i)::uuid`;

/** $5 care team ids: patient i on team (i - 1) % teams only, so an event reaches one team. */
const INSERT_ENROLMENTS = `
insert into care_team_patient (id, tenant_id, created_at, updated_at, patient_id, care_team_id, period_start, period_end)
select gen_random_uuid(), $1, now() - interval '1 year', now() - interval '1 year', ${PATIENT_ID},
  ($5::uuid[])[1 + (i - 1) % array_length($5::uuid[], 1)], now() - interval '1 year', null
from generate_series($3::int, $4::int) i`;

/** One open task per patient, owned by the patient's team: the subject of its events. */
const INSERT_TASKS = `
insert into task (id, tenant_id, created_at, updated_at, patient_id, title, description, status, priority,
  authored_on, owner_team_id)
select md5($2 || ':t:' || i)::uuid, $1, now(), now(), ${PATIENT_ID}, $6, $7, 'requested', 'routine', now(),
  ($5::uuid[])[1 + (i - 1) % array_length($5::uuid[], 1)]
from generate_series($3::int, $4::int) i`;

const json = (value: unknown) => JSON.stringify(value);

async function insertStaff(
  client: pg.Client,
  options: GenerateSubscriptionsOptions,
): Promise<{ tenantId: string; teamIds: string[] }> {
  const tenantId = randomUUID();
  const now = new Date();
  await insertRows(
    client,
    'tenant',
    ['id', 'slug', 'name', 'created_at'],
    [[tenantId, TENANT_SLUG, 'CareGraph Bench Subscriptions', now]],
  );
  const teamIds = Array.from({ length: options.teams }, () => randomUUID());
  await insertRowsChunked(
    client,
    'care_team',
    ['id', 'tenant_id', 'created_at', 'updated_at', 'name', 'status'],
    teamIds.map((id, t) => [id, tenantId, now, now, `Care Team ${t + 1}`, 'active']),
  );
  const practitioners: unknown[][] = [];
  const members: unknown[][] = [];
  const users: unknown[][] = [];
  teamIds.forEach((teamId, t) => {
    for (let m = 0; m < options.membersPerTeam; m++) {
      const k = t * options.membersPerTeam + m;
      const practitionerId = randomUUID();
      const nurse = m % 2 === 1;
      const given = (nurse ? FEMALE_GIVEN : MALE_GIVEN)[k % 30];
      const family = FAMILY_NAMES[(k * 7) % FAMILY_NAMES.length];
      const name = { use: 'official', family, given: [given], prefix: [], suffix: [] };
      practitioners.push([practitionerId, tenantId, now, now, true, json(name), '[]']);
      const role = CARE_TEAM_ROLES[nurse ? 1 : 0];
      members.push([
        randomUUID(),
        tenantId,
        now,
        now,
        teamId,
        practitionerId,
        json({ system: 'http://snomed.info/sct', ...role }),
        now,
        null,
      ]);
      users.push([
        randomUUID(),
        tenantId,
        now,
        now,
        `member.${k}@bench-subscriptions.example`,
        `${given} ${family}`,
        'practitioner',
        [nurse ? 'nurse' : 'physician'],
        true,
        practitionerId,
      ]);
    }
  });
  await insertRowsChunked(
    client,
    'practitioner',
    ['id', 'tenant_id', 'created_at', 'updated_at', 'active', 'name', 'telecom'],
    practitioners,
  );
  await insertRowsChunked(client, 'care_team_member', CARE_TEAM_MEMBER_COLUMNS, members);
  users.push([
    randomUUID(),
    tenantId,
    now,
    now,
    SOURCE_EMAIL,
    'Bench event source',
    'integration',
    ['integration'],
    true,
    null,
  ]);
  await insertRowsChunked(client, 'user', USER_COLUMNS, users);
  return { tenantId, teamIds };
}

/**
 * Creates a fresh database with one tenant of `teams` care teams, each with `membersPerTeam`
 * practitioners who have user accounts and `patientsPerTeam` patients (each on that team only,
 * each with one open task), plus the integration account that publishes the events.
 */
export async function generateSubscriptionsDatabase(
  options: GenerateSubscriptionsOptions,
): Promise<SubscriptionsDatabase> {
  const log = options.log ?? (() => {});
  const name = await prepareBenchDatabase(
    options.adminUrl,
    async (client, seed) => {
      const { tenantId, teamIds } = await insertStaff(client, options);
      const patients = options.teams * options.patientsPerTeam;
      for (let from = 1; from <= patients; from += 5_000) {
        const range = [tenantId, seed, from, Math.min(from + 4_999, patients)];
        await insertPatients(client, range);
        await client.query(INSERT_ENROLMENTS, [...range, teamIds]);
        await client.query(INSERT_TASKS, [...range, teamIds, TASK_TITLE, TASK_DESCRIPTION]);
      }
      log(
        `  ${options.teams} teams, ${teamIds.length * options.membersPerTeam} members, ${patients} patients`,
      );
    },
    log,
  );
  return describeSubscriptionsDatabase(options.adminUrl, name);
}

/** Reads what the benchmark needs from a generated database (also used with `--reuse`). */
export async function describeSubscriptionsDatabase(
  adminUrl: string,
  name: string,
): Promise<SubscriptionsDatabase> {
  const url = databaseUrl(adminUrl, name);
  return withClient(url, async (client) => {
    const source = await client.query<{ id: string; tenant_id: string }>(
      `select u.id, u.tenant_id from "user" u join tenant t on t.id = u.tenant_id
        where t.slug = $1 and u.email = $2`,
      [TENANT_SLUG, SOURCE_EMAIL],
    );
    if (source.rowCount !== 1)
      throw new Error(`${name} is not a subscriptions benchmark database (no event source)`);
    const { id: sourceUserId, tenant_id: tenantId } = source.rows[0]!;
    const teams = await client.query<{ id: string }>(
      `select id from care_team where tenant_id = $1 order by (substring(name from 11))::int`,
      [tenantId],
    );
    const teamIndex = new Map(teams.rows.map((row, t) => [row.id, t]));
    const members = await client.query<{ user_id: string; care_team_id: string }>(
      `select u.id as user_id, m.care_team_id from "user" u
         join care_team_member m on m.practitioner_id = u.practitioner_id
        where u.tenant_id = $1 order by u.email`,
      [tenantId],
    );
    const tasks = await client.query<{ id: string; patient_id: string; owner_team_id: string }>(
      `select id, patient_id, owner_team_id from task where tenant_id = $1 order by patient_id`,
      [tenantId],
    );
    const subscribers = members.rows
      .map((row) => ({ userId: row.user_id, team: teamIndex.get(row.care_team_id)! }))
      .sort((a, b) => a.team - b.team);
    const byTeam = new Map<number, EventTarget[]>();
    for (const row of tasks.rows) {
      const team = teamIndex.get(row.owner_team_id)!;
      const list = byTeam.get(team) ?? [];
      list.push({ patientId: row.patient_id, taskId: row.id, team });
      byTeam.set(team, list);
    }
    // Round-robin over the teams, so consecutive events reach different subscribers.
    const events: EventTarget[] = [];
    const perTeam = Math.max(0, ...[...byTeam.values()].map((l) => l.length));
    for (let p = 0; p < perTeam; p++)
      for (let t = 0; t < teams.rows.length; t++) {
        const target = byTeam.get(t)?.[p];
        if (target) events.push(target);
      }
    return { name, url, tenantId, sourceUserId, teams: teams.rows.length, subscribers, events };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      subscribers: { type: 'string', default: '10000' },
      fanout: { type: 'string', default: '10' },
      'patients-per-team': { type: 'string', default: '5' },
    },
  });
  const fanout = Number(values.fanout);
  const db = await generateSubscriptionsDatabase({
    adminUrl: adminUrlFrom(values['database-url']),
    teams: Math.ceil(Number(values.subscribers) / fanout),
    membersPerTeam: fanout,
    patientsPerTeam: Number(values['patients-per-team']),
    log: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(`${db.name}\n`);
}

runIfMain(import.meta.url, main);
