import { z } from 'zod';
import {
  definePlugin,
  PLUGIN_API_VERSION,
  PluginErrorCode,
  type PluginDefinition,
} from '@caregraph/plugin-sdk';
import { PluginError } from './plugin-error.js';
import { validatePlugins, type PluginEntry } from './validate-plugins.js';

const plugin = (id: string, extra: Partial<PluginDefinition> = {}): PluginDefinition => ({
  id,
  version: '1.0.0',
  apiVersion: '^1.0.0',
  ...extra,
});

/** The PluginError `validatePlugins` throws for `entries`. */
async function failure(entries: PluginEntry[]): Promise<PluginError> {
  const error = await validatePlugins(entries).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginError);
  return error as PluginError;
}

describe('validatePlugins (issue 4)', () => {
  it('refuses a duplicate id at the second registration', async () => {
    const error = await failure([plugin('a'), plugin('b'), plugin('a')]);
    expect(error.code).toBe(PluginErrorCode.DUPLICATE_ID);
    expect(error.path).toBe('plugins[2].id');
    expect(error.message).toContain('plugins[0]');
  });

  it('refuses an apiVersion range that excludes the hub API version', async () => {
    const error = await failure([plugin('a'), plugin('old', { apiVersion: '^0.3.0' })]);
    expect(error.code).toBe(PluginErrorCode.API_VERSION);
    expect(error.path).toBe('plugins[1].apiVersion');
    expect(error.message).toContain(
      `needs plugin API ^0.3.0, but this hub implements ${PLUGIN_API_VERSION}`,
    );
  });

  it('refuses a malformed id, version or apiVersion with the key', async () => {
    expect((await failure([plugin('Bad_Id')])).path).toBe('plugins[0].id');
    expect((await failure([plugin('a', { version: 'one' })])).path).toBe('plugins[0].version');
    const range = await failure([plugin('a', { apiVersion: 'latest' })]);
    expect([range.code, range.path]).toEqual([
      PluginErrorCode.INVALID_DEFINITION,
      'plugins[0].apiVersion',
    ]);
  });

  it('refuses patientData handlers that are not functions, at the handler', async () => {
    const erase = await failure([plugin('a', { patientData: { onErase: 'no' as never } })]);
    expect([erase.code, erase.path]).toEqual([
      PluginErrorCode.INVALID_DEFINITION,
      'plugins[0].patientData.onErase',
    ]);
    const exported = await failure([
      plugin('a', { patientData: { export: { count: async () => 0 } as never } }),
    ]);
    expect(exported.path).toBe('plugins[0].patientData.export.resources');
  });

  it('refuses a missing dependency, naming it and where it is declared', async () => {
    const error = await failure([plugin('a'), plugin('b', { dependsOn: ['a', 'fhir'] })]);
    expect(error.code).toBe(PluginErrorCode.MISSING_DEPENDENCY);
    expect(error.path).toBe('plugins[1].dependsOn[1]');
    expect(error.details.dependency).toBe('fhir');
  });

  it('refuses a dependency cycle', async () => {
    const error = await failure([
      plugin('a', { dependsOn: ['b'] }),
      plugin('b', { dependsOn: ['a'] }),
    ]);
    expect(error.code).toBe(PluginErrorCode.MISSING_DEPENDENCY);
    expect(error.message).toContain('a -> b -> a');
  });

  it('refuses an invalid config naming the key and what is expected', async () => {
    const withConfig = definePlugin({
      ...plugin('webhooks'),
      config: z.object({ webhook: z.object({ secret: z.string().min(32) }), retries: z.number() }),
    }) as PluginDefinition;
    const error = await failure([
      plugin('a'),
      { plugin: withConfig, config: { webhook: { secret: 'short' }, retries: 3 } },
    ]);
    expect(error.code).toBe(PluginErrorCode.INVALID_CONFIG);
    expect(error.path).toBe('plugins[1].config.webhook.secret');
    expect(error.details.key).toBe('webhook.secret');
    expect(error.message).toMatch(
      /^plugins\[1\]\.config\.webhook\.secret: plugin "webhooks": .*32/,
    );
  });

  it('returns plugins in dependency order with their parsed config', async () => {
    const configured = definePlugin({
      ...plugin('c'),
      config: z.object({ retries: z.number().default(3) }),
    }) as PluginDefinition;
    const ordered = await validatePlugins([
      plugin('a', { dependsOn: ['b'] }),
      { plugin: configured, config: {} },
      plugin('b'),
    ]);
    expect(ordered.map((p) => p.definition.id)).toEqual(['b', 'a', 'c']);
    expect(ordered.find((p) => p.definition.id === 'c')?.config).toEqual({ retries: 3 });
  });
});
