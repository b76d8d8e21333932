/**
 * Issue 4: the plugin context's observation service. A plugin records a device reading as a
 * final Observation, audited and with provenance; the same measurement delivered twice is stored
 * once, also when deliveries race (the patient row is locked); an unknown patient is refused.
 */
import { randomUUID } from 'node:crypto';
import { CareEventType, ObservationCategory, Patient, Role } from '@caregraph/schema';
import { definePlugin } from '@caregraph/plugin-sdk';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

const HEART_RATE = { system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' };

const recorder = definePlugin({
  id: 'recorder',
  version: '1.0.0',
  apiVersion: '^1.3.0',
  topics: { emits: [CareEventType.DEVICE_ALERT] },
  routes: [
    {
      method: 'POST',
      path: '/record',
      handler: async (request, ctx) => {
        const { tenantId, userId, patientId, at, alert } = request.body as Record<string, string>;
        // `alert`: an event about the new observation, of a declared type or not.
        const type =
          alert === 'declared' ? CareEventType.DEVICE_ALERT : CareEventType.TASK_ASSIGNED;
        try {
          const result = await ctx.inTenant({ tenantId: tenantId!, userId: userId! }, (scope) =>
            scope.observations.record(
              {
                patientId: patientId!,
                category: ObservationCategory.DEVICE,
                code: HEART_RATE,
                valueQuantity: 72,
                unit: '/min',
                effectiveAt: new Date(at!),
              },
              {
                eventsWhenCreated: (observation) =>
                  alert
                    ? [
                        {
                          type,
                          patientId: observation.patient.id,
                          summary: 'Device alert',
                          subject: { type: 'Observation', id: observation.id },
                        },
                      ]
                    : [],
              },
            ),
          );
          return { status: 200, body: { id: result.observation.id, created: result.created } };
        } catch (error) {
          return { status: 422, body: { code: (error as { code?: string }).code } };
        }
      },
    },
  ],
});

let t: TestHub;
let patientId: string;

beforeAll(async () => {
  t = await createTestHub({ plugins: [recorder] });
  patientId = await t.inTenant(async (em) => (await em.findOneOrFail(Patient, {})).id);
});

afterAll(async () => {
  await t?.stop();
});

async function record(body: Record<string, string>) {
  const res = await fetch(new URL('/plugins/recorder/record', t.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tenantId: t.seed.tenantId,
      userId: t.userIdOf(Role.INTEGRATION),
      patientId,
      ...body,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('records a final device observation with its audit row and provenance', async () => {
  const res = await record({ at: '2026-03-01T08:00:00.000Z' });
  expect(res).toMatchObject({ status: 200, body: { created: true } });
  const id = String(res.body.id);
  const [row] = await t.sql<Record<string, unknown>>(
    "select status, category, code->>'code' as code, value_quantity, unit from observation where id = ?",
    [id],
  );
  expect(row).toMatchObject({
    status: 'final',
    category: 'device',
    code: '8867-4',
    value_quantity: 72,
    unit: '/min',
  });
  const audits = await t.sql(
    "select actor_user_id from audit_event where type = 'observation.record' and entity = ?",
    [`Observation/${id}`],
  );
  expect(audits).toEqual([{ actor_user_id: t.userIdOf(Role.INTEGRATION) }]);
  const provenance = await t.sql('select activity, agent_id from provenance where target = ?', [
    `Observation/${id}`,
  ]);
  expect(provenance).toEqual([{ activity: 'create', agent_id: t.userIdOf(Role.INTEGRATION) }]);
});

it('stores the same measurement once', async () => {
  const first = await record({ at: '2026-03-01T09:00:00.000Z' });
  const again = await record({ at: '2026-03-01T09:00:00.000Z' });
  expect(first.body.created).toBe(true);
  expect(again.body).toEqual({ id: first.body.id, created: false });
  const [count] = await t.sql<{ n: number | string }>(
    "select count(*) as n from observation where patient_id = ? and effective_at = '2026-03-01T09:00:00.000Z'",
    [patientId],
  );
  expect(Number(count!.n)).toBe(1);
});

it('refuses a patient the tenant does not have', async () => {
  const res = await record({ at: '2026-03-01T10:00:00.000Z', patientId: randomUUID() });
  expect(res).toEqual({ status: 422, body: { code: 'NOT_FOUND' } });
});

it('stores one of several concurrent deliveries of the same measurement', async () => {
  const at = '2026-03-01T11:00:00.000Z';
  const results = await Promise.all(Array.from({ length: 8 }, () => record({ at })));
  expect(results.filter((r) => r.body.created === true)).toHaveLength(1);
  expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
});

it('commits the events of a new observation in its transaction, and none for a duplicate (1.3.0)', async () => {
  const at = '2026-03-01T12:00:00.000Z';
  const first = await record({ at, alert: 'declared' });
  const again = await record({ at, alert: 'declared' });
  expect(first.body.created).toBe(true);
  expect(again.body.created).toBe(false);
  const alerts = await t.sql<{ type: string }>(
    "select type from outbox_event where payload->'subject'->>'id' = ?",
    [String(first.body.id)],
  );
  expect(alerts).toEqual([{ type: CareEventType.DEVICE_ALERT }]);
});

it('stores no observation when an event about it is refused (both commit or neither)', async () => {
  const at = '2026-03-01T13:00:00.000Z';
  const res = await record({ at, alert: 'undeclared' });
  expect(res).toEqual({ status: 422, body: { code: 'CG_ERR_PLUGIN_UNDECLARED' } });
  const rows = await t.sql('select id from observation where patient_id = ? and effective_at = ?', [
    patientId,
    at,
  ]);
  expect(rows).toEqual([]);
});
