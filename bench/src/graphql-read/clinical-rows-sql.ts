/**
 * `INSERT ... SELECT generate_series` statements that build a batch of patients and their
 * related rows inside PostgreSQL. Every statement takes the same leading parameters:
 * `$1` tenant id, `$2` seed (patient ids are `md5(seed:p:i)::uuid`), `$3..$4` the batch range.
 */

const PATIENT_ID = `md5($2 || ':p:' || i)::uuid`;

/** $5 female given, $6 male given, $7 family, $8 streets, $9 cities, $10 states, $11 zip prefixes. */
export const INSERT_PATIENTS = `
insert into patient (id, tenant_id, created_at, updated_at, active, names, family_search, given_search, gender,
  birth_date, deceased, telecom, address, preferred_language, time_zone)
select ${PATIENT_ID}, $1, ts, ts, true,
  jsonb_build_array(jsonb_build_object('use', 'official', 'family', family, 'given', jsonb_build_array(given1, given2),
    'prefix', '[]'::jsonb, 'suffix', '[]'::jsonb)),
  lower(family), lower(given1 || ' ' || given2),
  case when female then 'female' else 'male' end,
  date '1932-01-01' + ((i::bigint * 7919) % 32000)::int,
  false,
  jsonb_build_array(
    jsonb_build_object('system', 'phone', 'value', '+1312555' || lpad((i % 10000)::text, 4, '0'), 'use', 'mobile', 'rank', 1),
    jsonb_build_object('system', 'email', 'value', lower(given1 || '.' || family || '.' || i || '@example.org'), 'use', 'home', 'rank', 2)),
  jsonb_build_array(jsonb_build_object('use', 'home',
    'line', jsonb_build_array((100 + (i * 37) % 9800) || ' ' || ($8::text[])[1 + i % array_length($8::text[], 1)] || ' St'),
    'city', ($9::text[])[c], 'state', ($10::text[])[c], 'postal_code', ($11::text[])[c] || lpad((i % 100)::text, 2, '0'),
    'country', 'US')),
  case when i % 6 = 0 then 'es' else 'en' end,
  'America/Chicago'
from (
  select i, female, ts, c, family,
    case when female then ($5::text[])[1 + g1] else ($6::text[])[1 + g1] end as given1,
    case when female then ($5::text[])[1 + (g1 + 1 + i % 17) % 30] else ($6::text[])[1 + (g1 + 1 + i % 17) % 30] end as given2
  from (
    select i, i % 2 = 0 as female, now() - interval '4 years' + i * interval '1 minute' as ts,
      1 + i % array_length($9::text[], 1) as c,
      ($7::text[])[1 + (i * 7) % array_length($7::text[], 1)] as family,
      (i * 13) % 30 as g1
    from generate_series($3::int, $4::int) i
  ) base
) s`;

/** MRN and SSN of every patient. */
export const INSERT_IDENTIFIERS = `
insert into patient_identifier (id, tenant_id, created_at, updated_at, patient_id, system, value, type, assigner, use)
select gen_random_uuid(), $1, ts + k * interval '1 millisecond', ts + k * interval '1 millisecond', ${PATIENT_ID},
  case k when 1 then 'urn:caregraph:bench-clinic:mrn' else 'http://hl7.org/fhir/sid/us-ssn' end,
  case k when 1 then 'MRN' || lpad(i::text, 8, '0') else substr(ssn, 1, 3) || '-' || substr(ssn, 4, 2) || '-' || substr(ssn, 6, 4) end,
  case k when 1 then 'MR' else 'SS' end,
  case k when 1 then 'CareGraph Bench Clinic' else 'Social Security Administration' end,
  case k when 1 then 'usual' else 'official' end
from (
  select i, now() - interval '4 years' + i * interval '1 minute' as ts,
    lpad(((900000000 + i::bigint * 7919) % 1000000000)::text, 9, '0') as ssn
  from generate_series($3::int, $4::int) i
) s cross join generate_series(1, 2) k`;

/** $5 care team ids: every patient on one team, every third on a second one. */
export const INSERT_ENROLMENTS = `
insert into care_team_patient (id, tenant_id, created_at, updated_at, patient_id, care_team_id, period_start, period_end)
select gen_random_uuid(), $1, start_at, start_at, ${PATIENT_ID}, ($5::uuid[])[1 + team], start_at, null
from (
  select i, i % n as team, now() - interval '3 years' - (i % 365) * interval '1 day' as start_at
  from generate_series($3::int, $4::int) i, (select array_length($5::uuid[], 1) as n) t
  union all
  select i, (i % n + 1 + (i / n) % (n - 1)) % n, now() - interval '1 year' - (i % 200) * interval '1 day'
  from generate_series($3::int, $4::int) i, (select array_length($5::uuid[], 1) as n) t
  where i % 3 = 0
) s`;

/** $5 practitioner ids, $6 service type codes, $7 displays: 3 past and 5 future appointments. */
export const INSERT_APPOINTMENTS = `
insert into appointment (id, tenant_id, created_at, updated_at, patient_id, status, practitioner_id, start, "end",
  service_type, location, telehealth_url, description, participants, cancellation_reason, cancelled_at)
select gen_random_uuid(), $1, least(start_at - interval '21 days', now()), least(start_at - interval '21 days', now()),
  pid, status, prac, start_at, start_at + interval '30 minutes',
  jsonb_build_object('system', 'http://snomed.info/sct', 'code', ($6::text[])[svc], 'display', ($7::text[])[svc]),
  case when svc = 2 then 'Telehealth' else 'CareGraph Bench Clinic, exam room ' || (1 + (i + k) % 8) end,
  case when svc = 2 then 'https://telehealth.bench-clinic.example/visit/' || left(md5(pid::text || k), 12) end,
  ($7::text[])[svc],
  jsonb_build_array(
    jsonb_build_object('actor_type', 'Patient', 'actor_id', pid, 'role', 'SBJ', 'status', 'accepted'),
    jsonb_build_object('actor_type', 'Practitioner', 'actor_id', prac, 'role', 'PPRF', 'status', 'accepted')),
  case when status = 'cancelled' then 'Patient request' end,
  case when status = 'cancelled' then start_at - interval '2 days' end
from (
  select i, k, ${PATIENT_ID} as pid,
    ($5::uuid[])[1 + (i + k) % array_length($5::uuid[], 1)] as prac,
    1 + (i + k) % array_length($6::text[], 1) as svc,
    date_trunc('day', now())
      + (case when k <= 3 then -(k * 60 + i % 45) else (k - 3) * 18 + i % 11 + 1 end) * interval '1 day'
      + interval '13 hours' + ((i + k) % 16) * interval '30 minutes' as start_at,
    case
      when k <= 3 and (i + k) % 13 = 0 then 'cancelled'
      when k <= 3 and (i + k) % 9 = 0 then 'noshow'
      when k <= 3 then 'fulfilled'
      when (i + k) % 11 = 0 then 'cancelled'
      when (i + k) % 7 = 0 then 'pending'
      else 'booked'
    end as status
  from generate_series($3::int, $4::int) i cross join generate_series(1, 8) k
) s`;

/**
 * $5 codes, $6 displays, $7 units, $8 categories, $9 lows, $10 highs, $11 means, $12 spreads,
 * $13 number of vitals (listed first): 4 visits of 5 vitals and 5 rotating labs each.
 */
export const INSERT_OBSERVATIONS = `
insert into observation (id, tenant_id, created_at, updated_at, patient_id, encounter_id, status, category, code,
  value_quantity, unit, reference_range_low, reference_range_high, reference_range_text, interpretation,
  effective_at, issued_at, released_to_patient, security_labels)
select gen_random_uuid(), $1, issued, issued, pid, null, 'final', ($8::text[])[c],
  jsonb_build_object('system', 'http://loinc.org', 'code', ($5::text[])[c], 'display', ($6::text[])[c]),
  v, ($7::text[])[c], ($9::float8[])[c], ($10::float8[])[c],
  ($9::float8[])[c] || '-' || ($10::float8[])[c] || ' ' || ($7::text[])[c],
  case when v < ($9::float8[])[c] then 'L' when v > ($10::float8[])[c] then 'H' else 'N' end,
  effective, issued, visit > 0, '[]'::jsonb
from (
  select pid, c, visit, effective,
    effective + case when ($8::text[])[c] = 'laboratory' then interval '3 hours' else interval '0' end as issued,
    round((($11::float8[])[c] + ($12::float8[])[c] * (random() * 2 - 1))::numeric,
      case when ($12::float8[])[c] < 2 then 2 when ($12::float8[])[c] < 10 then 1 else 0 end)::float8 as v
  from (
    select ${PATIENT_ID} as pid, k / 10 as visit,
      case when k % 10 < $13 then 1 + k % 10
        else $13 + 1 + ((k / 10) * (10 - $13) + (k % 10 - $13) + i) % (array_length($5::text[], 1) - $13) end as c,
      date_trunc('minute', now()) - ((k / 10) * 91 + i % 60 + 3) * interval '1 day' + (k % 10) * interval '2 minutes' as effective
    from generate_series($3::int, $4::int) i cross join generate_series(0, 39) k
  ) slots
) s`;

/** $5 codes, $6 displays: three problems, the first always active. */
export const INSERT_CONDITIONS = `
insert into condition (id, tenant_id, created_at, updated_at, patient_id, code, clinical_status, verification_status,
  category, severity, onset_date, abatement_date, recorded_at, note, security_labels)
select gen_random_uuid(), $1, recorded, recorded, ${PATIENT_ID},
  jsonb_build_object('system', 'http://snomed.info/sct', 'code', ($5::text[])[c], 'display', ($6::text[])[c]),
  status, 'confirmed', 'problem-list-item',
  case (i + k) % 4 when 0 then 'mild' when 1 then 'moderate' when 2 then 'severe' end,
  onset, case when status in ('resolved', 'inactive', 'remission') then onset + 180 end, recorded, null, '[]'::jsonb
from (
  select i, k, 1 + (i * 3 + k) % array_length($5::text[], 1) as c,
    case
      when k = 1 then 'active'
      when k = 2 then case when i % 3 = 0 then 'resolved' else 'active' end
      else (array['resolved', 'remission', 'inactive', 'recurrence'])[1 + i % 4]
    end as status,
    (current_date - (k * 700 + i % 600)) as onset,
    date_trunc('second', now()) - (k * 700 + i % 600 - 2) * interval '1 day' as recorded
  from generate_series($3::int, $4::int) i cross join generate_series(1, 3) k
) s`;

/** $5 codes, $6 displays, $7 dosage texts: two current medications and one past. */
export const INSERT_MEDICATIONS = `
insert into medication_statement (id, tenant_id, created_at, updated_at, patient_id, medication, status, dosage_text,
  effective_start, effective_end, note)
select gen_random_uuid(), $1, started, started, ${PATIENT_ID},
  jsonb_build_object('system', 'http://www.nlm.nih.gov/research/umls/rxnorm', 'code', ($5::text[])[c], 'display', ($6::text[])[c]),
  status, ($7::text[])[c], started,
  case when status in ('completed', 'stopped') then started + interval '90 days' end, null
from (
  select i, k, 1 + (i * 3 + k) % array_length($5::text[], 1) as c,
    case
      when k = 1 then 'active'
      when k = 2 then case when i % 5 = 0 then 'on-hold' else 'active' end
      else case when i % 2 = 0 then 'completed' else 'stopped' end
    end as status,
    date_trunc('second', now()) - (k * 400 + i % 300) * interval '1 day' as started
  from generate_series($3::int, $4::int) i cross join generate_series(1, 3) k
) s`;
