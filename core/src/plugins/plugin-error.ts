import { PluginErrorCode } from '@caregraph/plugin-sdk';
import { CareGraphError } from '../errors/caregraph-error.js';

/** A path into the registration list: `plugins[2].config.apiKey`. */
export type PluginPath = readonly (string | number)[];

function render(path: PluginPath): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

/**
 * A plugin cannot be registered. `details.path` says where (`plugins[1].config.apiKey`),
 * `details.pluginId` which plugin; the message says what to change.
 */
export class PluginError extends CareGraphError {
  /** Where the problem is, rendered (`plugins[1].config.apiKey`). */
  get path(): string {
    return this.details.path as string;
  }

  private static at(
    code: PluginErrorCode,
    path: PluginPath,
    pluginId: string | undefined,
    problem: string,
    extra: Record<string, unknown> = {},
  ): PluginError {
    const where = render(path);
    const who = pluginId ? `plugin "${pluginId}"` : 'plugin';
    return new PluginError(code, `${where}: ${who}: ${problem}`, {
      path: where,
      pluginId,
      ...extra,
    });
  }

  static invalidDefinition(path: PluginPath, pluginId: string | undefined, problem: string) {
    return PluginError.at(PluginErrorCode.INVALID_DEFINITION, path, pluginId, problem);
  }

  static duplicateId(path: PluginPath, pluginId: string, firstIndex: number) {
    return PluginError.at(
      PluginErrorCode.DUPLICATE_ID,
      path,
      pluginId,
      `the id is already registered by plugins[${firstIndex}]; register each plugin once and give each its own id.`,
      { firstIndex },
    );
  }

  static apiVersion(path: PluginPath, pluginId: string, range: string, hubVersion: string) {
    return PluginError.at(
      PluginErrorCode.API_VERSION,
      path,
      pluginId,
      `needs plugin API ${range}, but this hub implements ${hubVersion}; use a plugin release built for ${hubVersion}.`,
      { range, hubVersion },
    );
  }

  static missingDependency(path: PluginPath, pluginId: string, dependency: string) {
    return PluginError.at(
      PluginErrorCode.MISSING_DEPENDENCY,
      path,
      pluginId,
      `depends on "${dependency}", which is not registered; add it to createHub({ plugins }).`,
      { dependency },
    );
  }

  static dependencyCycle(path: PluginPath, pluginId: string, cycle: readonly string[]) {
    return PluginError.at(
      PluginErrorCode.MISSING_DEPENDENCY,
      path,
      pluginId,
      `its dependencies form a cycle (${cycle.join(' -> ')}).`,
      { cycle },
    );
  }

  static invalidConfig(path: PluginPath, pluginId: string, expected: string) {
    return PluginError.at(PluginErrorCode.INVALID_CONFIG, path, pluginId, expected, {
      key: render(path.slice(3)),
    });
  }

  static graphqlClash(path: PluginPath, pluginId: string, name: string, owner: string) {
    return PluginError.at(
      PluginErrorCode.GRAPHQL_CLASH,
      path,
      pluginId,
      `GraphQL ${name.includes('.') ? 'field' : 'type'} "${name}" is already defined by ${owner}; rename it (prefix it with the plugin's name).`,
      { name, owner },
    );
  }

  static permissionMissing(path: PluginPath, pluginId: string, field: string) {
    return PluginError.at(
      PluginErrorCode.PERMISSION_MISSING,
      path,
      pluginId,
      `the field "${field}" has no permission rule and would be denied to everyone; add one to permissions.`,
      { field },
    );
  }

  static undeclared(pluginId: string, what: 'topic' | 'job', name: string) {
    return PluginError.at(
      PluginErrorCode.UNDECLARED,
      [what === 'topic' ? 'topics' : 'jobs'],
      pluginId,
      `${what} "${name}" is not declared in the plugin definition.`,
      { name },
    );
  }

  static entityNotTenantOwned(pluginId: string, entity: string) {
    return PluginError.at(
      PluginErrorCode.ENTITY_NOT_TENANT_OWNED,
      ['entities', entity],
      pluginId,
      `entity ${entity} has no tenantId property: plugin tables are tenant-owned (add a tenantId uuid property; see plugins/sdk/README.md, "Entities and migrations").`,
      { entity },
    );
  }

  static duplicateSubscription(pluginId: string, name: string) {
    return PluginError.at(
      PluginErrorCode.DUPLICATE_SUBSCRIPTION,
      ['subscribe'],
      pluginId,
      `already follows this tenant as subscription "${name}"; give each subscription of a tenant its own name (subscribe(..., { name })).`,
      { name },
    );
  }

  static commandClash(path: PluginPath, pluginId: string, name: string, owner: string) {
    return PluginError.at(
      PluginErrorCode.COMMAND_CLASH,
      path,
      pluginId,
      `CLI command "${name}" clashes with ${owner}; rename it (start it with the plugin's name).`,
      { name, owner },
    );
  }

  /** A standalone command (run without a hub) used `service` of its context. */
  static standaloneCommand(pluginId: string, service: string) {
    return PluginError.at(
      PluginErrorCode.STANDALONE_COMMAND,
      [service],
      pluginId,
      `a standalone command runs without a hub (no database): ctx.${service} is not available; drop \`standalone\` from the command to run it in command mode.`,
      { service },
    );
  }

  /** Positions `from..to` of the tenant were deleted (retention) before the handler got them. */
  static eventsLost(key: { pluginId: string; name: string }, from: number, to: number) {
    return PluginError.at(
      PluginErrorCode.EVENTS_LOST,
      ['subscribe'],
      key.pluginId,
      `subscription "${key.name}" was further behind than the outbox retention (CAREGRAPH_EVENT_REPLAY_WINDOW): ${to - from + 1} events (positions ${from}-${to}) were deleted before its handler got them and are skipped.`,
      { name: key.name, from, to },
    );
  }
}
