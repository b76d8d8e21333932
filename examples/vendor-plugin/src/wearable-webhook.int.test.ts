/**
 * Issue 4: the example vendor adapter, through the test kit only (as a vendor would test it):
 * conformance, signed readings visible to the care team, refused signatures, DeviceAlert above
 * a threshold, idempotent redelivery, and config errors that name the key.
 */
import { randomUUID } from 'node:crypto';
import { CareEventType, Role } from '@caregraph/schema';
import { PluginErrorCode, withConfig } from '@caregraph/plugin-sdk';
import {
  createTestHub,
  runAdapterConformance,
  validatePlugins,
  type PluginTestHub,
} from '@caregraph/plugin-sdk/testing';
import { SIGNATURE_HEADER, sign, wearableWebhook, type ReadingsReceipt } from './index.js';

const config = {
  secret: 'a-shared-secret-of-at-least-32-chars',
  tenantId: randomUUID(),
  integrationUserId: randomUUID(),
  thresholds: { '8867-4': { above: 120 }, '59408-5': { below: 90 } },
};

const VISIBLE_PATIENT = `{ patients(first: 1) { edges { node { id identifiers { system value } } } } }`;
const DEVICE_OBSERVATIONS = `query($id: ID!) {
  patient(id: $id) {
    observations(category: DEVICE, first: 100) {
      edges { node { category status code { system code } valueQuantity unit effectiveAt } }
    }
  }
}`;

type Observations = {
  patient: {
    observations: {
      edges: {
        node: { code: { code: string }; valueQuantity: number; effectiveAt: string };
      }[];
    };
  };
};

let hub: PluginTestHub;
let patientId: string;
let identifier: { system: string; value: string };
let minute = 0;

/** A reading of the care-team patient at a fresh minute (so tests never share one). */
function reading(code: string, value: number) {
  minute += 1;
  return {
    deviceId: 'band-0042',
    patient: identifier,
    code,
    value,
    unit: code === '8867-4' ? '/min' : '%',
    time: new Date(Date.UTC(2026, 2, 1, 8, minute)).toISOString(),
  };
}

async function post(body: unknown, signature?: string) {
  const raw = JSON.stringify(body);
  const res = await fetch(`${hub.baseUrl}/plugins/wearable-webhook/readings`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signature ?? sign(raw, config.secret),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function deviceObservations() {
  const res = await hub.graphql<Observations>(
    DEVICE_OBSERVATIONS,
    { id: patientId },
    { role: Role.NURSE },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.patient.observations.edges.map((edge) => edge.node);
}

beforeAll(async () => {
  hub = await createTestHub({
    plugins: [withConfig(wearableWebhook, config)],
    seed: { tenantId: config.tenantId, integrationUserId: config.integrationUserId },
  });
  const res = await hub.graphql<{
    patients: { edges: { node: { id: string; identifiers: (typeof identifier)[] } }[] };
  }>(VISIBLE_PATIENT, {}, { role: Role.NURSE });
  const patient = res.data!.patients.edges[0]!.node;
  patientId = patient.id;
  identifier = patient.identifiers[0]!;
});

afterAll(async () => {
  await hub?.stop();
});

it('passes the adapter conformance checks', async () => {
  const report = await runAdapterConformance(wearableWebhook, { config });
  expect(report.checks.filter((check) => !check.ok)).toEqual([]);
});

it('stores signed readings as device observations the care team sees', async () => {
  const heart = reading('8867-4', 72);
  const spo2 = reading('59408-5', 97);
  const res = await post({ readings: [heart, spo2] });
  expect(res).toEqual({ status: 200, body: { stored: 2, duplicates: 0, alerts: 0 } });
  const seen = await deviceObservations();
  expect(seen).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        category: 'DEVICE',
        status: 'FINAL',
        code: { system: 'http://loinc.org', code: '8867-4' },
        valueQuantity: 72,
        unit: '/min',
        effectiveAt: heart.time,
      }),
      expect.objectContaining({ code: expect.objectContaining({ code: '59408-5' }) }),
    ]),
  );
});

it('refuses a missing or wrong signature and stores nothing', async () => {
  const before = (await deviceObservations()).length;
  const body = { readings: [reading('8867-4', 80)] };
  const missing = await fetch(`${hub.baseUrl}/plugins/wearable-webhook/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(missing.status).toBe(401);
  const forged = await post(body, sign(JSON.stringify(body), 'not-the-shared-secret-at-all-0000'));
  expect(forged.status).toBe(401);
  expect((await deviceObservations()).length).toBe(before);
});

it('answers 400 naming the malformed field, without echoing PHI', async () => {
  const bad = { ...reading('8867-4', 80), value: identifier.value };
  const res = await post({ readings: [bad] });
  expect(res.status).toBe(400);
  const text = JSON.stringify(res.body);
  expect(text).toContain('readings[0].value');
  expect(text).not.toContain(identifier.value);
});

it('answers 422 for an unknown patient and stores nothing of the batch', async () => {
  const before = (await deviceObservations()).length;
  const unknown = { ...reading('8867-4', 80), patient: { system: identifier.system, value: 'X' } };
  const res = await post({ readings: [reading('8867-4', 81), unknown] });
  expect(res.status).toBe(422);
  expect(JSON.stringify(res.body)).toContain('readings[1].patient');
  expect((await deviceObservations()).length).toBe(before);
});

it('raises a DeviceAlert for a reading past its threshold', async () => {
  const res = await post({ readings: [reading('8867-4', 150)] });
  expect(res.body).toEqual({ stored: 1, duplicates: 0, alerts: 1 });
  const event = await hub.waitForEvent(
    (e) => e.type === CareEventType.DEVICE_ALERT && e.patientId === patientId,
  );
  expect(event).toMatchObject({
    tenantId: config.tenantId,
    summary: 'Device alert: Heart rate',
    subject: { type: 'Observation' },
  });
});

it('stores a reading posted twice once, and alerts once', async () => {
  const low = reading('59408-5', 85);
  const first = await post({ readings: [low] });
  const again = await post({ readings: [low] });
  expect(first.body).toEqual({ stored: 1, duplicates: 0, alerts: 1 } satisfies ReadingsReceipt);
  expect(again.body).toEqual({ stored: 0, duplicates: 1, alerts: 0 } satisfies ReadingsReceipt);
  const same = (await deviceObservations()).filter((o) => o.effectiveAt === low.time);
  expect(same).toHaveLength(1);
});

it.each([
  ['secret', { ...config, secret: 'short' }],
  ['tenantId', { ...config, tenantId: 'demo' }],
  ['thresholds.8867-4', { ...config, thresholds: { '8867-4': {} } }],
  ['thresholds.heart-rate', { ...config, thresholds: { 'heart-rate': { above: 1 } } }],
])('refuses a bad config naming the key %s', async (key, bad) => {
  const failure = await validatePlugins([withConfig(wearableWebhook, bad)]);
  expect(failure).toMatchObject({
    code: PluginErrorCode.INVALID_CONFIG,
    path: `plugins[0].config.${key}`,
  });
});
