import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createOrm, Keyring } from '@caregraph/core';
import {
  databaseUrl,
  dropBenchDatabase,
  insertRows,
  prepareBenchDatabase,
} from '../shared/bench-database.js';
import { benchKeyProvider } from '../shared/bench-keys.js';
import { USER_COLUMNS } from '../shared/staff-columns.js';
import { insertPatients } from '../graphql-read/generate.js';

/** What the engagement benchmark needs to know about its generated database. */
export interface EngagementDatabase {
  name: string;
  url: string;
  tenantId: string;
  /** The integration account the plugin plans and sends as. */
  integrationUserId: string;
  appointments: number;
  patients: number;
  /** The instant the appointments were laid out from: the first starts 3 hours after it. */
  base: Date;
}

const PRACTITIONERS = 20;
/** Appointments per patient: about one every 1.75 days, so the email caps hold none back. */
const APPOINTMENTS_PER_PATIENT = 4;
const PATIENT_BATCH = 5_000;
const APPOINTMENT_BATCH = 20_000;
const HOUR_MS = 3_600_000;
/**
 * The appointments start between 49 hours and 7 days after `base`, within the default rules'
 * reach: each gets the 48-hour confirmation and the 24- and 2-hour reminders, and the soonest
 * due messages are never past their appointment's start (expired) when they are dispatched.
 */
const FIRST_START_MS = 49 * HOUR_MS;
const LAST_START_MS = 7 * 24 * HOUR_MS;

/** $1 tenant, $2 seed, $3..$4 range, $5 patients, $6 practitioners, $7 base, $8 spacing (ms). */
const INSERT_APPOINTMENTS = `
insert into appointment (id, tenant_id, created_at, updated_at, patient_id, status, practitioner_id, start, "end",
  service_type, location, telehealth_url, description, participants, cancellation_reason, cancelled_at)
select md5($2 || ':a:' || k)::uuid, $1, $7::timestamptz - interval '14 days', $7::timestamptz - interval '14 days',
  pid, 'booked', prac, start_at, start_at + interval '30 minutes',
  null, 'CareGraph Bench Clinic, exam room ' || (1 + k % 8), null, null,
  jsonb_build_array(
    jsonb_build_object('actor_type', 'Patient', 'actor_id', pid, 'role', 'SBJ', 'status', 'accepted'),
    jsonb_build_object('actor_type', 'Practitioner', 'actor_id', prac, 'role', 'PPRF', 'status', 'accepted')),
  null, null
from (
  select k, md5($2 || ':p:' || (k % $5::int))::uuid as pid,
    ($6::uuid[])[1 + k % array_length($6::uuid[], 1)] as prac,
    $7::timestamptz + interval '${FIRST_START_MS} milliseconds' + k * $8::double precision * interval '1 millisecond' as start_at
  from generate_series($3::int, $4::int) k
) s`;

async function fill(
  client: pg.Client,
  seed: string,
  ids: { tenantId: string; integrationUserId: string },
  counts: { appointments: number; patients: number },
  base: Date,
): Promise<void> {
  const { tenantId, integrationUserId } = ids;
  await insertRows(
    client,
    'tenant',
    ['id', 'slug', 'name', 'created_at'],
    [[tenantId, 'bench-engagement', 'CareGraph Bench Engagement', base]],
  );
  await insertRows(client, 'user', USER_COLUMNS, [
    [
      integrationUserId,
      tenantId,
      base,
      base,
      'engagement@bench-engagement.example',
      'Bench engagement',
      'integration',
      ['integration'],
      true,
      null,
    ],
  ]);
  const practitionerIds = Array.from({ length: PRACTITIONERS }, () => randomUUID());
  await insertRows(
    client,
    'practitioner',
    ['id', 'tenant_id', 'created_at', 'updated_at', 'active', 'name', 'telecom'],
    practitionerIds.map((id, j) => [
      id,
      tenantId,
      base,
      base,
      true,
      JSON.stringify({
        use: 'official',
        family: `Bench${j}`,
        given: ['Dana'],
        prefix: ['Dr.'],
        suffix: ['MD'],
      }),
      '[]',
    ]),
  );
  for (let from = 0; from < counts.patients; from += PATIENT_BATCH)
    await insertPatients(client, [
      tenantId,
      seed,
      from,
      Math.min(from + PATIENT_BATCH, counts.patients) - 1,
    ]);
  const spacing = (LAST_START_MS - FIRST_START_MS) / counts.appointments;
  for (let from = 0; from < counts.appointments; from += APPOINTMENT_BATCH)
    await client.query(INSERT_APPOINTMENTS, [
      tenantId,
      seed,
      from,
      Math.min(from + APPOINTMENT_BATCH, counts.appointments) - 1,
      counts.patients,
      practitionerIds,
      base,
      spacing,
    ]);
}

/**
 * A fresh database with one tenant, its integration account, 20 practitioners, one patient
 * (names, mobile and email, from the graphql-read generator) per 4 appointments, and
 * `appointments` booked appointments spread evenly from 49 hours to 7 days after `base`.
 */
export async function generateEngagementDatabase(
  adminUrl: string,
  appointments: number,
  base: Date,
  log: (message: string) => void,
): Promise<EngagementDatabase> {
  const ids = { tenantId: randomUUID(), integrationUserId: randomUUID() };
  const patients = Math.ceil(appointments / APPOINTMENTS_PER_PATIENT);
  const seed = randomUUID();
  const name = await prepareBenchDatabase(
    adminUrl,
    (client) => fill(client, seed, ids, { appointments, patients }, base),
    log,
  );
  const url = databaseUrl(adminUrl, name);
  try {
    // No generated column is encrypted, so the generator made no keys: a sent message's blind
    // index of its address needs them.
    const keyring = new Keyring(benchKeyProvider(url));
    const orm = await createOrm({ kind: 'postgres', url }, { keyring });
    try {
      await orm.em.fork().transactional((em) => keyring.createTenantKeys(em, ids.tenantId));
    } finally {
      await orm.close();
    }
  } catch (error) {
    await dropBenchDatabase(adminUrl, name).catch(() => {});
    throw error;
  }
  return { name, url, ...ids, appointments, patients, base };
}
