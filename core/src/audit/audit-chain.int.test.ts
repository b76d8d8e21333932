import { randomUUID } from 'node:crypto';
import { Role } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { auditRowHash } from './audit-chain.js';
import { verifyAuditChain, type AuditChainProblem } from './verify-audit-chain.js';
import { withSystemScope } from '../db/tenant-scope.js';

const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const RECORD_CONSENT =
  'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }';

let t: TestHub;
let tenantId: string;
let patientIds: string[];

/** Raw SQL across tenants (inspecting and tampering with the table, as an intruder would). */
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  withSystemScope(() => t.hub.orm.em.getConnection().execute(query, params) as Promise<T[]>);

const problems = async (): Promise<Omit<AuditChainProblem, 'tenantId'>[]> => {
  const report = await verifyAuditChain(t.hub.orm, tenantId);
  expect(report.problems.every((p) => p.tenantId === tenantId)).toBe(true);
  return report.problems.map(({ sequence, id, problem }) => ({
    sequence,
    problem,
    ...(id ? { id } : {}),
  }));
};

const rowAt = async (sequence: number) =>
  (
    await sql<{ id: string; type: string; detail: string; hash: string }>(
      'select id, type, detail::text as detail, hash from audit_event where tenant_id = ? and sequence = ?',
      [tenantId, sequence],
    )
  )[0]!;

const lastSequence = async () =>
  Number(
    (
      await sql<{ n: string | number }>(
        'select max(sequence) as n from audit_event where tenant_id = ?',
        [tenantId],
      )
    )[0]!.n,
  );

async function createTask(title: string): Promise<void> {
  const res = await t.graphql(
    CREATE_TASK,
    { input: { patientId: patientIds[0], title, priority: 'ROUTINE' } },
    { role: Role.NURSE },
  );
  expect(res.body.errors).toBeUndefined();
}

/** Runs `tamper`, expects `expected` problems, runs `restore` and expects an intact chain again. */
async function expectDetected(
  tamper: () => Promise<unknown>,
  expected: (Omit<AuditChainProblem, 'tenantId' | 'id'> & { id?: string })[],
  restore: () => Promise<unknown>,
): Promise<void> {
  await tamper();
  try {
    expect(await problems()).toEqual(expected);
  } finally {
    await restore();
  }
  expect(await problems()).toEqual([]);
}

beforeAll(async () => {
  t = await createTestHub();
  tenantId = t.seed.tenantId;
  const patients = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
    '{ patients(first: 3) { edges { node { id } } } }',
    {},
    { role: Role.NURSE },
  );
  patientIds = patients.body.data!.patients.edges.map((e) => e.node.id);
  for (const title of ['Call back', 'Book retinal screening', 'Review glucose log'])
    await createTask(title);
  const consent = await t.graphql(
    RECORD_CONSENT,
    {
      input: {
        patientId: patientIds[1],
        scope: 'COMMUNICATION',
        purpose: 'CARE_REMINDERS',
        channel: 'SMS',
        source: 'form-1',
      },
    },
    { role: Role.FRONT_DESK },
  );
  expect(consent.body.errors).toBeUndefined();
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('audit hash chain (#3)', () => {
  it('chains every audited write: sequences 1..n, each linked to the previous hash', async () => {
    const rows = await sql<{ sequence: string | number; previous_hash: string; hash: string }>(
      'select sequence, previous_hash, hash from audit_event where tenant_id = ? order by sequence',
      [tenantId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.map((r) => Number(r.sequence))).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0]!.previous_hash).toBe('0'.repeat(64));
    rows.slice(1).forEach((row, i) => expect(row.previous_hash).toBe(rows[i]!.hash));
    const report = await verifyAuditChain(t.hub.orm);
    expect(report).toMatchObject({ ok: true, tenants: 1, events: rows.length, problems: [] });
  });

  it('detects an edited type or detail and names the row', async () => {
    const row = await rowAt(2);
    await expectDetected(
      () => sql("update audit_event set type = 'patient.erase' where id = ?", [row.id]),
      [{ sequence: 2, id: row.id, problem: 'edited' }],
      () => sql('update audit_event set type = ? where id = ?', [row.type, row.id]),
    );
    await expectDetected(
      () =>
        sql(`update audit_event set detail = '{"fields":["name"]}'::jsonb where id = ?`, [row.id]),
      [{ sequence: 2, id: row.id, problem: 'edited' }],
      () => sql('update audit_event set detail = ?::jsonb where id = ?', [row.detail, row.id]),
    );
  });

  it('detects a deleted row in the middle as missing', async () => {
    const row = await rowAt(2);
    await sql('create table audit_backup as select * from audit_event where id = ?', [row.id]);
    await expectDetected(
      () => sql('delete from audit_event where id = ?', [row.id]),
      [{ sequence: 2, problem: 'missing' }],
      async () => {
        await sql('insert into audit_event select * from audit_backup');
        await sql('drop table audit_backup');
      },
    );
  });

  it('detects a forged row appended at the end, even with a correct hash', async () => {
    const last = await lastSequence();
    const previous = await rowAt(last);
    const id = randomUUID();
    const recordedAt = new Date();
    const insert = (hash: string) =>
      sql(
        `insert into audit_event (id, tenant_id, recorded_at, action, type, outcome, actor_roles, detail, sequence, previous_hash, hash)
         values (?, ?, ?::timestamptz, 'R', 'patient.read', '0', '["admin"]'::jsonb, '{}'::jsonb, ?, ?, ?)`,
        [id, tenantId, recordedAt.toISOString(), last + 1, previous.hash, hash],
      );
    const remove = () => sql('delete from audit_event where id = ?', [id]);
    await expectDetected(
      () => insert('f'.repeat(64)),
      [
        { sequence: last + 1, id, problem: 'edited' },
        { sequence: last + 1, problem: 'inserted/reordered' },
      ],
      remove,
    );
    const forgedHash = auditRowHash(previous.hash, {
      tenantId,
      sequence: last + 1,
      id,
      recordedAt,
      action: 'R',
      type: 'patient.read',
      outcome: '0',
      actorRoles: ['admin'],
      detail: {},
    });
    await expectDetected(
      () => insert(forgedHash),
      [{ sequence: last + 1, problem: 'inserted/reordered' }],
      remove,
    );
  });

  it('detects a deleted last row through the chain head', async () => {
    const last = await lastSequence();
    const row = await rowAt(last);
    await sql('create table audit_backup as select * from audit_event where id = ?', [row.id]);
    await expectDetected(
      () => sql('delete from audit_event where id = ?', [row.id]),
      [{ sequence: last, problem: 'head mismatch' }],
      async () => {
        await sql('insert into audit_event select * from audit_backup');
        await sql('drop table audit_backup');
      },
    );
  });

  it('serialises concurrent writers: 20 parallel mutations get 20 consecutive sequences', async () => {
    const before = await lastSequence();
    await Promise.all(Array.from({ length: 20 }, (_, i) => createTask(`Parallel task ${i}`)));
    const rows = await sql<{ sequence: string | number }>(
      'select sequence from audit_event where tenant_id = ? and sequence > ? order by sequence',
      [tenantId, before],
    );
    expect(rows.map((r) => Number(r.sequence))).toEqual(
      Array.from({ length: 20 }, (_, i) => before + i + 1),
    );
    expect(await problems()).toEqual([]);
  });
});
