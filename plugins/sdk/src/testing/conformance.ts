import { Role } from '@caregraph/schema';
import type { PluginDefinition, PluginRegistration } from '../define-plugin.js';
import { PluginErrorCode } from '../errors.js';
import type { PluginTestHub } from './kit.js';
import { loadTestKit } from './load-kit.js';

/** Options of `runAdapterConformance`. */
export interface ConformanceOptions {
  /** The config to boot with (valid). */
  config?: unknown;
  /** A config the plugin must refuse (default `42`, which no object schema accepts). */
  invalidConfig?: unknown;
  /** Plugins it depends on, registered before it. */
  dependencies?: readonly (PluginDefinition | PluginRegistration)[];
}

/** One check and its outcome. */
export interface ConformanceCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

/** What `runAdapterConformance` found. */
export interface ConformanceReport {
  pluginId: string;
  ok: boolean;
  checks: ConformanceCheck[];
}

const INTROSPECTION = '{ __schema { queryType { name } types { name fields { name } } } }';

async function hubChecks(
  hub: PluginTestHub,
  plugin: PluginDefinition,
  add: (c: ConformanceCheck) => void,
) {
  try {
    const status = await hub.waitForState(plugin.id, 'running');
    add({
      name: 'registers and starts',
      ok: true,
      detail: `running after ${status.restarts} restarts`,
    });
  } catch (error) {
    const status = hub.statuses().find((s) => s.id === plugin.id);
    add({
      name: 'registers and starts',
      ok: false,
      detail: status?.message ?? (error as Error).message,
    });
  }
  const introspection = await hub.graphql<{
    __schema: { types: { name: string; fields: { name: string }[] | null }[] };
  }>(INTROSPECTION, {}, { role: Role.ADMIN });
  const served = new Set(
    (introspection.data?.__schema.types ?? []).flatMap((t) =>
      (t.fields ?? []).map((f) => `${t.name}.${f.name}`),
    ),
  );
  add({
    name: 'schema valid',
    ok: !introspection.errors?.length && served.size > 0,
    detail: introspection.errors?.map((e) => e.message).join('; '),
  });
  const added = hub.contributedFields(plugin.id);
  const missing = added.filter((field) => !served.has(field));
  add({
    name: 'rules complete',
    ok: missing.length === 0,
    detail: missing.length
      ? `not served: ${missing.join(', ')}`
      : `${added.length} added fields, each with its declared rule`,
  });
  const health = await hub.health();
  const line = health.plugins.find((p) => p.id === plugin.id);
  add({
    name: 'health ok',
    ok: line?.state === 'running',
    detail: line ? `${line.state}${line.message ? `: ${line.message}` : ''}` : 'not on /health',
  });
}

/**
 * The checks every adapter's test suite runs: the plugin validates, refuses a bad config with a
 * clear coded error, boots on a test hub, starts, serves a valid schema in which every field it
 * adds has a rule (the hub refuses to boot otherwise), reports healthy, and stops cleanly.
 * Resolves with a report; `expect(report.ok).toBe(true)` or inspect `report.checks`.
 *
 * @example
 * it('passes the adapter conformance checks', async () => {
 *   const report = await runAdapterConformance(myPlugin, { config: { apiKey: 'x'.repeat(32) } });
 *   expect(report.checks.filter((c) => !c.ok)).toEqual([]);
 * });
 */
export async function runAdapterConformance(
  plugin: PluginDefinition,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const kit = await loadTestKit();
  const checks: ConformanceCheck[] = [];
  const add = (check: ConformanceCheck) => checks.push(check);
  const dependencies = options.dependencies ?? [];
  const entry: PluginRegistration = { plugin, config: options.config };
  const failure = await kit.validatePlugins([...dependencies, entry]);
  add({ name: 'definition and config validate', ok: !failure, detail: failure?.message });
  if (plugin.config) {
    const refused = await kit.validatePlugins([
      ...dependencies,
      { plugin, config: options.invalidConfig ?? 42 },
    ]);
    const where = `plugins[${dependencies.length}].config`;
    add({
      name: 'config errors are clear',
      ok:
        refused?.code === PluginErrorCode.INVALID_CONFIG &&
        refused.path.startsWith(where) &&
        refused.message.length > where.length,
      detail: refused
        ? `${refused.code} at ${refused.path}: ${refused.message}`
        : 'the invalid config was accepted',
    });
  } else {
    add({ name: 'config errors are clear', ok: true, detail: 'the plugin takes no config' });
  }
  if (failure) return { pluginId: plugin.id, ok: false, checks };
  let hub: PluginTestHub | undefined;
  try {
    hub = await kit.createTestHub({ plugins: [...dependencies, entry] });
    add({ name: 'boots', ok: true });
    await hubChecks(hub, plugin, add);
  } catch (error) {
    add({ name: 'boots', ok: false, detail: (error as Error).message });
  }
  if (hub) {
    try {
      await hub.stop();
      const status = hub.statuses().find((s) => s.id === plugin.id);
      add({ name: 'stops cleanly', ok: status?.state === 'stopped', detail: status?.message });
    } catch (error) {
      add({ name: 'stops cleanly', ok: false, detail: (error as Error).message });
    }
  }
  return { pluginId: plugin.id, ok: checks.every((c) => c.ok), checks };
}
