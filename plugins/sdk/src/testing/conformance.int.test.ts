/**
 * Issue 4: the test kit against a tiny fixture plugin, through the same entry a vendor uses
 * (`@caregraph/plugin-sdk/testing`, which loads the built `@caregraph/core/testing`).
 */
import { Field, Float, ObjectType, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import { CareEventType, Role } from '@caregraph/schema';
import { definePlugin, withConfig } from '../define-plugin.js';
import { PluginErrorCode } from '../errors.js';
import { createTestHub, runAdapterConformance, validatePlugins } from './index.js';

@ObjectType()
class ThermometerReading {
  @Field(() => Float)
  celsius!: number;
}

@Resolver()
class ThermometerResolver {
  @Query(() => [ThermometerReading])
  thermometerReadings(): ThermometerReading[] {
    return [{ celsius: 37.2 }];
  }
}

const thermometer = definePlugin({
  id: 'fixture-thermometer',
  version: '0.1.0',
  apiVersion: '^1.0.0',
  config: z.object({ webhookSecret: z.string().min(16), feverCelsius: z.number().default(38) }),
  resolvers: [ThermometerResolver],
  permissions: {
    Query: { thermometerReadings: { kind: 'roles', roles: [Role.NURSE, Role.PHYSICIAN] } },
    ThermometerReading: { kind: 'authenticated' },
  },
  topics: { emits: [CareEventType.CARE_TEAM_CHANGED] },
  routes: [
    {
      method: 'POST',
      path: '/readings',
      async handler(request, ctx) {
        if (request.headers['x-secret'] !== (ctx.config as { webhookSecret: string }).webhookSecret)
          return { status: 401 };
        const { tenantId, userId, patientId } = request.body as Record<string, string>;
        await ctx.inTenant({ tenantId: tenantId!, userId: userId! }, (scope) =>
          scope.publish({
            type: CareEventType.CARE_TEAM_CHANGED,
            patientId: patientId!,
            summary: 'Reading received',
            subject: { type: 'Patient', id: patientId! },
          }),
        );
        return { status: 202 };
      },
    },
  ],
  health: async (ctx) =>
    ctx.config.feverCelsius > 35 ? { status: 'ok' } : { status: 'degraded', message: 'threshold' },
});

const config = { webhookSecret: 'a-long-enough-secret' };

describe('runAdapterConformance (issue 4)', () => {
  it('passes a well-formed plugin on every check', async () => {
    const report = await runAdapterConformance(thermometer, { config });
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.checks.map((check) => check.name)).toEqual([
      'definition and config validate',
      'config errors are clear',
      'boots',
      'registers and starts',
      'schema valid',
      'rules complete',
      'health ok',
      'stops cleanly',
    ]);
    expect(report.ok).toBe(true);
  }, 120_000);

  it('fails a plugin whose start throws, and one whose config errors are not clear', async () => {
    const failing = definePlugin({
      id: 'fixture-failing',
      version: '0.1.0',
      apiVersion: '^1.0.0',
      config: z.unknown(),
      start: async () => {
        throw new Error('vendor API down');
      },
    });
    const report = await runAdapterConformance(failing);
    const failed = Object.fromEntries(
      report.checks.filter((c) => !c.ok).map((c) => [c.name, c.detail]),
    );
    expect(failed).toEqual({
      'config errors are clear': 'the invalid config was accepted',
      'registers and starts': 'vendor API down',
      'health ok': expect.stringMatching(/^failed: vendor API down/),
    });
    expect(report.ok).toBe(false);
  }, 120_000);

  it('reports a missing config key with its path', async () => {
    const failure = await validatePlugins([{ plugin: thermometer, config: {} }]);
    expect(failure).toMatchObject({
      code: PluginErrorCode.INVALID_CONFIG,
      path: 'plugins[0].config.webhookSecret',
    });
  });
});

describe('createTestHub from the kit (issue 4)', () => {
  it('runs GraphQL as a role, calls a route and awaits its event', async () => {
    const hub = await createTestHub({ plugins: [withConfig(thermometer, config)] });
    try {
      const nurse = await hub.graphql(
        '{ thermometerReadings { celsius } }',
        {},
        { role: Role.NURSE },
      );
      expect(nurse.data).toEqual({ thermometerReadings: [{ celsius: 37.2 }] });
      const billing = await hub.graphql(
        '{ thermometerReadings { celsius } }',
        {},
        { role: Role.BILLING },
      );
      expect(billing.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const patientId = (
        await hub.graphql<{ patients: { edges: { node: { id: string } }[] } }>(
          '{ patients(first: 1) { edges { node { id } } } }',
          {},
          { role: Role.ADMIN },
        )
      ).data!.patients.edges[0]!.node.id;
      const res = await hub.fetch('/plugins/fixture-thermometer/readings', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-secret': config.webhookSecret },
        body: JSON.stringify({
          tenantId: hub.tenantId,
          userId: hub.userIdOf(Role.INTEGRATION),
          patientId,
        }),
      });
      expect(res.status).toBe(202);
      const event = await hub.waitForEvent((e) => e.patientId === patientId);
      expect(event).toMatchObject({
        type: CareEventType.CARE_TEAM_CHANGED,
        summary: 'Reading received',
      });
    } finally {
      await hub.stop();
    }
  }, 120_000);
});
