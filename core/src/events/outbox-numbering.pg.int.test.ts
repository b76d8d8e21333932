/**
 * Issue 4, per-tenant write throughput: writers of a tenant take no common lock for outbox
 * positions. A transaction that has written an event and stays open does not hold back another
 * writer of the same tenant; the relay numbers and publishes what is committed, and the open
 * transaction's event gets the next position once it commits (positions follow the order in
 * which events became visible, gap-free). Needs concurrent connections: PostgreSQL only.
 */
import { randomUUID } from 'node:crypto';
import { CareEventType, type CareEventMessage } from '@caregraph/schema';
import { forkForTenant } from '../db/create-orm.js';
import { withTenantScope } from '../db/tenant-scope.js';
import { appendOutboxEvents } from './outbox.js';
import { careTeamSplit } from '../testing/access-fixtures.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';
import { until } from '../testing/eventually.js';

let t: TestHub;
let patientId: string;

beforeAll(async () => {
  t = await createTestHub();
  patientId = (await careTeamSplit(t)).onTeam[0]!;
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

function event(): CareEventMessage {
  return {
    id: randomUUID(),
    tenantId: t.seed.tenantId,
    type: CareEventType.PATIENT_UPDATED,
    patientId,
    occurredAt: new Date().toISOString(),
    summary: 'Patient updated',
    subject: { type: 'Patient', id: patientId },
  };
}

/**
 * Writes one event to the outbox and flushes it, then keeps the transaction open until `hold`
 * resolves (a writer whose commit is slow). `inserted` resolves once the row is written,
 * `committed` after the commit.
 */
function writeEvent(hold: Promise<void> = Promise.resolve()) {
  const message = event();
  let inserted!: () => void;
  const rowWritten = new Promise<void>((resolve) => (inserted = resolve));
  const committed = withTenantScope(t.seed.tenantId, () =>
    forkForTenant(t.hub.orm, t.seed.tenantId).transactional(async (em) => {
      await appendOutboxEvents(em, t.seed.tenantId, [message]);
      inserted();
      await hold;
    }),
  ).then(() => t.hub.careEvents.committed(t.seed.tenantId));
  return { id: message.id, inserted: rowWritten, committed };
}

async function outboxRow(id: string) {
  const [row] = await t.sql<{ position: string | null; published_at: Date | null }>(
    'select position, published_at from outbox_event where id = ?',
    [id],
  );
  return row;
}

it('does not hold back a writer of the same tenant behind an open transaction, and numbers both in commit order', async () => {
  let release!: () => void;
  const first = writeEvent(new Promise<void>((resolve) => (release = resolve)));
  await first.inserted;
  // Resolves while the first transaction is still open: no tenant-wide lock between them.
  const second = writeEvent();
  await second.committed;
  await until(async () => !!(await outboxRow(second.id))?.published_at, 'the second published');
  const secondPosition = Number((await outboxRow(second.id))!.position);
  expect(await outboxRow(first.id)).toBeUndefined();

  release();
  await first.committed;
  await until(async () => !!(await outboxRow(first.id))?.published_at, 'the first published');
  expect(Number((await outboxRow(first.id))!.position)).toBe(secondPosition + 1);
});
