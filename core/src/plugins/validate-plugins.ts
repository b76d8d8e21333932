import semver from 'semver';
import {
  PLUGIN_API_VERSION,
  type ConfigIssue,
  type PluginDefinition,
  type PluginRegistration,
} from '@caregraph/plugin-sdk';
import { PluginError, type PluginPath } from './plugin-error.js';
import { validatePluginCommands } from './validate-commands.js';

/** What `createHub({ plugins })` accepts: a definition, or a definition with its config. */
export type PluginEntry = PluginDefinition | PluginRegistration;

/** A plugin that passed validation, with its parsed config and its place in the list. */
export interface ValidatedPlugin {
  definition: PluginDefinition;
  config: unknown;
  /** Its index in `createHub({ plugins })`, for error paths. */
  index: number;
}

const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function registration(entry: PluginEntry): PluginRegistration {
  return 'plugin' in entry && typeof entry.plugin === 'object'
    ? (entry as PluginRegistration)
    : { plugin: entry as PluginDefinition };
}

function checkDefinition(plugin: PluginDefinition, index: number): void {
  const at = (key: string): PluginPath => ['plugins', index, key];
  if (typeof plugin?.id !== 'string' || !ID.test(plugin.id))
    throw PluginError.invalidDefinition(
      at('id'),
      undefined,
      `id must be kebab-case (like "wearable-devices"), got ${JSON.stringify(plugin?.id)}.`,
    );
  if (typeof plugin.version !== 'string' || !semver.valid(plugin.version))
    throw PluginError.invalidDefinition(
      at('version'),
      plugin.id,
      `version must be a semver version (like "1.2.0"), got ${JSON.stringify(plugin.version)}.`,
    );
  if (typeof plugin.apiVersion !== 'string' || !semver.validRange(plugin.apiVersion))
    throw PluginError.invalidDefinition(
      at('apiVersion'),
      plugin.id,
      `apiVersion must be a semver range (like "^1.0.0"), got ${JSON.stringify(plugin.apiVersion)}.`,
    );
  if (!semver.satisfies(PLUGIN_API_VERSION, plugin.apiVersion))
    throw PluginError.apiVersion(
      at('apiVersion'),
      plugin.id,
      plugin.apiVersion,
      PLUGIN_API_VERSION,
    );
  const jobs = new Set<string>();
  (plugin.jobs ?? []).forEach((job, j) => {
    if (jobs.has(job.name))
      throw PluginError.invalidDefinition(
        ['plugins', index, 'jobs', j, 'name'],
        plugin.id,
        `job "${job.name}" is declared twice.`,
      );
    jobs.add(job.name);
  });
  const routes = new Set<string>();
  (plugin.routes ?? []).forEach((route, r) => {
    const key = `${route.method} ${route.path}`;
    if (!/^\/[A-Za-z0-9._~/-]*$/.test(route.path) || routes.has(key))
      throw PluginError.invalidDefinition(
        ['plugins', index, 'routes', r, 'path'],
        plugin.id,
        `route "${key}" must start with "/", use only path characters, and be declared once.`,
      );
    routes.add(key);
  });
  checkPatientData(plugin, index);
}

/** `patientData` handlers are functions (`export`: an object with `count` and `resources`). */
function checkPatientData(plugin: PluginDefinition, index: number): void {
  const data = plugin.patientData;
  if (data === undefined) return;
  const handlers: [string[], unknown][] = [
    [['onMerge'], data.onMerge],
    [['onErase'], data.onErase],
    [['lastClinicalActivity'], data.lastClinicalActivity],
  ];
  if (data.export !== undefined)
    handlers.push(
      [['export', 'count'], data.export?.count],
      [['export', 'resources'], data.export?.resources],
    );
  for (const [path, handler] of handlers)
    if ((handler !== undefined || path[0] === 'export') && typeof handler !== 'function')
      throw PluginError.invalidDefinition(
        ['plugins', index, 'patientData', ...path],
        plugin.id,
        `patientData.${path.join('.')} must be a function.`,
      );
}

function issueKey(issue: ConfigIssue): (string | number)[] {
  return (issue.path ?? []).map((part) => {
    const key = typeof part === 'object' ? part.key : part;
    return typeof key === 'number' ? key : String(key);
  });
}

async function parseConfig(plugin: PluginDefinition, config: unknown, index: number) {
  if (!plugin.config) return config;
  const result = await plugin.config['~standard'].validate(config ?? {});
  if (!result.issues) return result.value;
  const [first] = result.issues;
  const rest = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : '';
  throw PluginError.invalidConfig(
    ['plugins', index, 'config', ...issueKey(first!)],
    plugin.id,
    `${first!.message}${rest}.`,
  );
}

/** Orders plugins so each starts after what it depends on (stable: registration order otherwise). */
function dependencyOrder(plugins: ValidatedPlugin[]): ValidatedPlugin[] {
  const byId = new Map(plugins.map((p) => [p.definition.id, p]));
  const ordered: ValidatedPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (plugin: ValidatedPlugin, trail: string[]) => {
    const id = plugin.definition.id;
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting')
      throw PluginError.dependencyCycle(['plugins', plugin.index, 'dependsOn'], id, [
        ...trail.slice(trail.indexOf(id)),
        id,
      ]);
    state.set(id, 'visiting');
    (plugin.definition.dependsOn ?? []).forEach((dependency, d) => {
      const target = byId.get(dependency);
      if (!target)
        throw PluginError.missingDependency(
          ['plugins', plugin.index, 'dependsOn', d],
          id,
          dependency,
        );
      visit(target, [...trail, id]);
    });
    state.set(id, 'done');
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin, []);
  return ordered;
}

/**
 * Validates the registered plugins without touching the database: definitions, unique ids, the
 * plugin API range, dependencies, config and CLI commands. Returns them in start (dependency) order; throws
 * the first problem as a `PluginError` with its path.
 */
export async function validatePlugins(entries: readonly PluginEntry[]): Promise<ValidatedPlugin[]> {
  const seen = new Map<string, number>();
  const validated: ValidatedPlugin[] = [];
  for (const [index, entry] of entries.entries()) {
    const { plugin, config } = registration(entry);
    checkDefinition(plugin, index);
    const first = seen.get(plugin.id);
    if (first !== undefined)
      throw PluginError.duplicateId(['plugins', index, 'id'], plugin.id, first);
    seen.set(plugin.id, index);
    validated.push({ definition: plugin, config: await parseConfig(plugin, config, index), index });
  }
  validatePluginCommands(validated);
  return dependencyOrder(validated);
}
