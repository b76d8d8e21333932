/**
 * Plugin API 1.4.0. Plugin resolvers are built with their plugin's context and act as the
 * GraphQL caller through `asCaller`. The domain services of a plugin's `write` join its transaction. A patient a
 * plugin registers inside a write that then fails is not kept (nor its event); a write with a
 * `source` names that source on every Provenance row, the services' own included; the scope's
 * `blindIndex` is the one core stores for an encrypted identifier.
 */
import { randomUUID } from 'node:crypto';
import {
  CareEventType,
  OutboxEvent,
  Patient,
  PatientIdentifier,
  Provenance,
  Role,
} from '@caregraph/schema';
import { Ctx, Query, Resolver } from 'type-graphql';
import { definePlugin, type PluginContext } from '@caregraph/plugin-sdk';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

const MRN = 'urn:oid:2.16.840.1.113883.19.5';
let captured: PluginContext | undefined;

@Resolver()
class CallerResolver {
  constructor(private readonly plugin: PluginContext) {}

  @Query(() => String)
  async fixtureCaller(@Ctx() request: unknown): Promise<string> {
    const scope = this.plugin.asCaller(request);
    return `${this.plugin.pluginId}:${scope.actorUserId}`;
  }
}

const writer = definePlugin({
  id: 'writer',
  version: '1.0.0',
  apiVersion: '^1.4.0',
  resolvers: [CallerResolver],
  permissions: { Query: { fixtureCaller: { kind: 'authenticated' } } },
  topics: { emits: [CareEventType.PATIENT_UPDATED] },
  async start(ctx) {
    captured = ctx;
  },
});

let t: TestHub;

beforeAll(async () => {
  t = await createTestHub({ plugins: [writer] });
});

afterAll(async () => {
  await t?.stop();
});

function asIntegration<T>(work: Parameters<PluginContext['inTenant']>[1]) {
  return captured!.inTenant(
    { tenantId: t.seed.tenantId, userId: t.userIdOf(Role.INTEGRATION) },
    work,
  ) as Promise<T>;
}

it('builds plugin resolvers with their context; asCaller acts as the signed-in caller', async () => {
  const res = await t.graphql('{ fixtureCaller }', {}, { role: Role.NURSE });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data).toEqual({ fixtureCaller: `writer:${t.userIdOf(Role.NURSE)}` });
});

function newPatient(value: string) {
  return { names: [{ family: 'Joined', given: ['Write'] }], identifiers: [{ system: MRN, value }] };
}

it('rolls a service call back with the write it was made in', async () => {
  const value = `MRN-${randomUUID()}`;
  let createdId: string | undefined;
  await expect(
    asIntegration(async (scope) =>
      scope.write(async (w) => {
        createdId = (await w.patients.create(newPatient(value))).id;
        throw new Error('the rest of the message failed');
      }),
    ),
  ).rejects.toThrow('the rest of the message failed');
  expect(createdId).toBeDefined();
  await t.inTenant(async (em) => {
    expect(await em.findOne(Patient, createdId!)).toBeNull();
    expect(await em.count(OutboxEvent, { patientId: createdId! })).toBe(0);
    expect(await em.count(Provenance, { target: `Patient/${createdId}` })).toBe(0);
  });
});

it('commits a service call with the write, every provenance row naming the source', async () => {
  const value = `MRN-${randomUUID()}`;
  const source = { system: 'LAB^HOSPITAL', messageId: randomUUID() };
  const patientId = await asIntegration<string>(async (scope) =>
    scope.write(
      async (w) => {
        const patient = await w.patients.create(newPatient(value));
        // A service sees the write's uncommitted rows: the new patient is found by its identifier.
        expect((await w.patients.findByIdentifier(MRN, value))?.id).toBe(patient.id);
        w.provenance(`Patient/${patient.id}`, 'update', 'next of kin added');
        return patient.id;
      },
      { source },
    ),
  );
  await t.inTenant(async (em) => {
    const rows = await em.find(
      Provenance,
      { target: `Patient/${patientId}` },
      { orderBy: { activity: 'asc' } },
    );
    expect(rows.map((row) => [row.activity, row.sourceSystem, row.sourceMessageId])).toEqual([
      ['create', source.system, source.messageId],
      ['update', source.system, source.messageId],
    ]);
    expect(await em.count(OutboxEvent, { patientId, type: CareEventType.PATIENT_REGISTERED })).toBe(
      1,
    );
  });
});

it('gives the blind index core stores beside an encrypted identifier', async () => {
  const value = `MRN-${randomUUID()}`;
  const patient = await asIntegration<Patient>((scope) => scope.patients.create(newPatient(value)));
  const index = await asIntegration<string>(async (scope) => scope.blindIndex(value));
  await t.inTenant(async (em) => {
    const identifier = await em.findOneOrFail(PatientIdentifier, { patient: patient.id });
    expect(identifier.valueIndex).toBe(index);
  });
});
