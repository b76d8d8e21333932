/**
 * Issue #3 (read-audit overhead): the AuditWriter appends each batch in one statement after the
 * head it last left, and still builds exactly the chain `audit verify` checks when other writers
 * (mutations, another gateway) move the head between its batches.
 */
import { Role } from '@caregraph/schema';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import type { AuditDraft } from './audit-chain.js';
import { AuditWriter } from './audit-writer.js';
import { verifyAuditChain } from './verify-audit-chain.js';

let t: TestHub;
let tenantId: string;
let patientId: string;
let statements: string[] = [];

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.inTenant((em) => em.getConnection().execute(query, params) as Promise<T[]>);

const draft = (type: string, detail: Record<string, unknown> = {}): AuditDraft => ({
  action: 'R',
  type,
  actorRoles: ['physician'],
  purposeOfUse: 'TREAT',
  patientId,
  entity: `Patient/${patientId}`,
  requestId: `req-${type}`,
  clientAddress: '127.0.0.1',
  detail,
});

const rowsAfter = (sequence: number) =>
  sql<{ sequence: string | number; type: string; detail: unknown }>(
    'select sequence, type, detail from audit_event where tenant_id = ? and sequence > ? order by sequence',
    [tenantId, sequence],
  );

const lastSequence = async () =>
  Number(
    (
      await sql<{ n: string | number | null }>(
        'select max(sequence) as n from audit_event where tenant_id = ?',
        [tenantId],
      )
    )[0]!.n ?? 0,
  );

async function expectIntactChain(): Promise<void> {
  const report = await verifyAuditChain(t.hub.orm, tenantId);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
}

async function createTask(title: string): Promise<void> {
  const res = await t.graphql(
    'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
    { input: { patientId, title, priority: 'ROUTINE' } },
    { role: Role.NURSE },
  );
  expect(res.body.errors).toBeUndefined();
}

/** Statements the writer issues while `work` runs. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  statements = [];
  await work();
  const seen = statements;
  statements = [];
  return seen;
}

beforeAll(async () => {
  t = await createTestHub({ onQuery: (query) => statements.push(query) });
  tenantId = t.seed.tenantId;
  const patients = await t.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
    '{ patients(first: 1) { edges { node { id } } } }',
    {},
    { role: Role.NURSE },
  );
  patientId = patients.body.data!.patients.edges[0]!.node.id;
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('AuditWriter (#3: one statement per batch)', () => {
  it('appends a batch in one statement once it knows the head, with the rows verify accepts', async () => {
    const writer = new AuditWriter(t.hub.orm);
    await writer.append(tenantId, [draft('warm-up')]);
    const before = await lastSequence();
    const issued = await statementsOf(() =>
      Promise.all([
        writer.append(tenantId, [draft('first', { categories: ['clinical'] })]),
        writer.append(tenantId, [draft('second', { z: 1, a: { c: [2, 1], b: null } })]),
      ]),
    );
    // Other parts of the hub (the outbox relay) may query meanwhile: count the audit statements.
    const audit = issued.filter((s) => /audit_(event|chain_head)/.test(s));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatch(/update audit_chain_head .* insert into audit_event/s);
    const rows = await rowsAfter(before);
    expect(rows.map((r) => [Number(r.sequence), r.type])).toEqual([
      [before + 1, 'first'],
      [before + 2, 'second'],
    ]);
    await expectIntactChain();
  });

  it('keeps one chain when a mutation moves the head between its batches', async () => {
    const writer = new AuditWriter(t.hub.orm);
    await writer.append(tenantId, [draft('before mutation')]);
    const before = await lastSequence();
    await createTask('Audit writer interleaving');
    await writer.append(tenantId, [draft('after mutation')]);
    const rows = await rowsAfter(before);
    expect(rows.map((r) => Number(r.sequence))).toEqual([before + 1, before + 2]);
    expect(rows.at(-1)!.type).toBe('after mutation');
    await expectIntactChain();
  });

  it('serialises two gateways writing the same tenant at once: consecutive sequences', async () => {
    const gateways = [new AuditWriter(t.hub.orm), new AuditWriter(t.hub.orm)];
    await Promise.all(gateways.map((writer, i) => writer.append(tenantId, [draft(`start ${i}`)])));
    const before = await lastSequence();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gateways[i % 2]!.append(tenantId, [draft(`parallel ${i}`), draft(`parallel ${i} bis`)]),
      ),
    );
    const rows = await rowsAfter(before);
    expect(rows.map((r) => Number(r.sequence))).toEqual(
      Array.from({ length: 40 }, (_, i) => before + i + 1),
    );
    expect(new Set(rows.map((r) => r.type)).size).toBe(40);
    await expectIntactChain();
  });

  it('writes nothing when the head it expected is gone, and recovers on the next batch', async () => {
    const writer = new AuditWriter(t.hub.orm);
    await writer.append(tenantId, [draft('head known')]);
    const before = await lastSequence();
    // Another writer appends behind this one's back: its remembered head is now stale.
    await new AuditWriter(t.hub.orm).append(tenantId, [draft('other writer')]);
    await writer.append(tenantId, [draft('after the race')]);
    const rows = await rowsAfter(before);
    expect(rows.map((r) => [Number(r.sequence), r.type])).toEqual([
      [before + 1, 'other writer'],
      [before + 2, 'after the race'],
    ]);
    await expectIntactChain();
  });

  it('fails the batch (the caller withholds its response) when the rows cannot be written', async () => {
    const writer = new AuditWriter(t.hub.orm);
    await writer.append(tenantId, [draft('before failure')]);
    const before = await lastSequence();
    await expect(
      writer.append(tenantId, [{ ...draft('bad'), patientId: 'not-a-uuid' }]),
    ).rejects.toThrow();
    expect(await lastSequence()).toBe(before);
    await writer.append(tenantId, [draft('after failure')]);
    expect((await rowsAfter(before)).map((r) => r.type)).toEqual(['after failure']);
    await expectIntactChain();
  });
});
