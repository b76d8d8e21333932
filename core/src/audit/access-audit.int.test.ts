/**
 * Issue #3: every read of PHI (per patient per operation), every subscription delivery and
 * every login failure is audited in the hash chain; privacy officers export FHIR AuditEvents;
 * the patient reads their own access log; nothing is disclosed if its audit cannot be written.
 */
import { Role } from '@caregraph/schema';
import { withSystemScope } from '../db/tenant-scope.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { openSubscription } from '../testing/subscription-client.js';
import { SYSTEM_AUDIT_TENANT } from './access-audit.js';
import { verifyAuditChain } from './verify-audit-chain.js';

let t: TestHub;
let patientId: string;

interface AuditRow {
  action: string;
  type: string;
  outcome: string;
  actor_user_id: string | null;
  actor_roles: unknown;
  purpose_of_use: string | null;
  patient_id: string | null;
  request_id: string | null;
  client_address: string | null;
  detail: unknown;
}

function json(value: unknown): Record<string, unknown> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}

async function auditRows(where: string, params: unknown[]): Promise<AuditRow[]> {
  // Across tenants: login failures are on the system chain.
  return withSystemScope(() =>
    t.hub.orm.em
      .getConnection()
      .execute<AuditRow[]>(`select * from audit_event where ${where} order by sequence`, params),
  );
}

beforeAll(async () => {
  t = await createTestHub();
  const me = await t.graphql<{ me: { patient: { id: string } } }>(
    '{ me { patient { id } } }',
    {},
    { role: Role.PATIENT },
  );
  patientId = me.body.data!.me.patient.id;
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

it('writes one row per patient read: who, role, purpose, categories, basis, request id, address', async () => {
  const res = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
    'query Chart { patients(first: 3) { edges { node { id name { text } observations(first: 1) { edges { node { id } } } } } } }',
    {},
    { role: Role.PHYSICIAN },
  );
  expect(res.body.errors).toBeUndefined();
  const requestId = res.headers.get('x-request-id')!;
  const rows = await auditRows('request_id = ?', [requestId]);
  expect(rows.map((row) => row.patient_id).sort()).toEqual(
    res.body.data!.patients.edges.map((e) => e.node.id).sort(),
  );
  for (const row of rows) {
    expect(row).toMatchObject({
      action: 'R',
      type: 'patient.read',
      outcome: '0',
      purpose_of_use: 'TREAT',
    });
    expect(json(row.actor_roles)).toEqual(['physician']);
    expect(row.client_address).toBeTruthy();
    expect(json(row.detail)).toMatchObject({
      // Observations may include labelled records the physician may see: sensitiveClinical.
      categories: ['clinical', 'demographics', 'sensitiveClinical'],
      basis: ['careTeam', 'tenant'],
      operation: 'Chart',
    });
  }
});

it('records refused reads with their categories and a failure outcome', async () => {
  const res = await t.graphql(
    'query($id: ID!) { patient(id: $id) { id observations(first: 1) { edges { node { id } } } } }',
    { id: patientId },
    { role: Role.FRONT_DESK },
  );
  expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const [row] = await auditRows('request_id = ?', [res.headers.get('x-request-id')]);
  expect(row).toMatchObject({ outcome: '4', patient_id: patientId });
  expect(json(row!.detail)).toMatchObject({ categories: ['demographics'], denied: ['clinical'] });
});

it('audits a login failure on the system chain, with the reason and no token', async () => {
  const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  const res = await t.graphql('{ me { id } }', {}, { token: forged });
  expect(res.status).toBe(401);
  const rows = await auditRows('tenant_id = ? and request_id = ?', [
    SYSTEM_AUDIT_TENANT,
    res.headers.get('x-request-id'),
  ]);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ type: 'login.failed', action: 'E', outcome: '4' });
  expect(json(rows[0]!.detail)).toEqual({ reason: 'invalid-token', channel: 'http' });
  expect(JSON.stringify(rows[0])).not.toContain(forged);
});

it('audits each subscription delivery to its receiver', async () => {
  const nurseToken = await t.token({ role: Role.NURSE });
  const feed = await openSubscription<{
    id: string;
    patient: { id: string; name: { text: string } };
  }>(t, nurseToken, 'subscription { careTeamFeed { id patient { id name { text } } } }');
  const nurse = t.seed.users.find((u) => u.roles.includes(Role.NURSE))!;
  // The demo patient is on the first nurse's team (seed).
  const booked = await t.graphql(
    'mutation($id: ID!, $input: UpdatePatientInput!) { updatePatient(id: $id, input: $input) { id } }',
    // A language the demo patient does not have: an update that changes nothing emits nothing.
    { id: patientId, input: { preferredLanguage: 'is' } },
    { role: Role.FRONT_DESK },
  );
  expect(booked.body.errors).toBeUndefined();
  await feed.waitFor(1);
  await feed.close();
  await t.hub.audit.drain();
  const rows = await auditRows("type = 'subscription.delivery' and actor_user_id = ?", [nurse.id]);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ action: 'R', patient_id: patientId, outcome: '0' });
  expect(json(rows[0]!.detail).categories).toEqual(['demographics']);
});

it('exports audit events as FHIR R4 AuditEvent resources to privacy officers', async () => {
  const res = await t.graphql<{
    auditEvents: { edges: { node: { fhir: Record<string, unknown> } }[] };
    auditEventBundle: {
      resourceType: string;
      type: string;
      entry: { resource: { resourceType: string } }[];
    };
  }>(
    'query($p: ID!) { auditEvents(patientId: $p, action: "R", first: 5) { edges { node { fhir } } } auditEventBundle(patientId: $p, first: 5) }',
    { p: patientId },
    { role: Role.ADMIN },
    { 'x-purpose-of-use': 'HCOMPL' },
  );
  expect(res.body.errors).toBeUndefined();
  const event = res.body.data!.auditEvents.edges[0]!.node.fhir;
  expect(event).toMatchObject({
    resourceType: 'AuditEvent',
    type: { code: '110110' },
    action: 'R',
    entity: [{ what: { reference: `Patient/${patientId}` } }],
    agent: [{ requestor: true }],
  });
  expect(typeof event.recorded).toBe('string');
  const bundle = res.body.data!.auditEventBundle;
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
  expect(bundle.entry.length).toBeGreaterThan(0);
  expect(bundle.entry.every((e) => e.resource.resourceType === 'AuditEvent')).toBe(true);
});

it('gives the patient their own access log, naming who read the record', async () => {
  const res = await t.graphql<{
    patient: {
      accessLog: { edges: { node: { accessedBy: string; categories: string[]; type: string } }[] };
    };
  }>(
    'query($id: ID!) { patient(id: $id) { accessLog(first: 100) { edges { node { accessedBy roles type categories emergency purposeOfUse } } } } }',
    { id: patientId },
    { role: Role.PATIENT },
  );
  expect(res.body.errors).toBeUndefined();
  const entries = res.body.data!.patient.accessLog.edges.map((e) => e.node);
  const frontDesk = t.seed.users.find((u) => u.roles.includes(Role.FRONT_DESK))!;
  expect(entries).toContainEqual(
    expect.objectContaining({ accessedBy: frontDesk.displayName, type: 'patient.read' }),
  );
  const other = await t.graphql(
    'query($id: ID!) { patient(id: $id) { accessLog { edges { node { type } } } } }',
    { id: patientId },
    { role: Role.PHYSICIAN },
  );
  expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('keeps the audit chain intact through all of this', async () => {
  await t.hub.audit.drain();
  const report = await verifyAuditChain(t.hub.orm);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
});

it('withholds the response when its audit cannot be written (fail closed)', async () => {
  const writer = t.hub.audit as unknown as { append: (...args: unknown[]) => Promise<void> };
  const append = writer.append;
  writer.append = () => Promise.reject(new Error('audit store unavailable'));
  try {
    const res = await t.graphql<{ patient: unknown }>(
      'query($id: ID!) { patient(id: $id) { name { text } } }',
      { id: patientId },
      { role: Role.PHYSICIAN },
    );
    expect(res.status).toBe(500);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(res.body)).not.toContain('text');
  } finally {
    writer.append = append;
  }
});
