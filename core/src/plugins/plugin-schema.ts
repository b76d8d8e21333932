import { isObjectType, type GraphQLSchema } from 'graphql';
import { getMetadataStorage, type ClassType } from 'type-graphql';
import { isFieldPermission, type FieldPermission } from '@caregraph/plugin-sdk';
import { buildUnprotectedSchema } from '../graphql/build-schema.js';
import type { RuleTypeMap, ShieldRule } from '../security/rules.js';
import { PluginError } from './plugin-error.js';
import { isDataCategory, ruleOfPermission } from './plugin-rules.js';
import type { ValidatedPlugin } from './validate-plugins.js';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** The GraphQL part of the plugins: resolvers in registration order and their shield rules. */
export interface PluginSchemaParts {
  resolvers: ClassType[];
  permissions: RuleTypeMap;
  /** Every `Type.field` a plugin added, with the plugin that added it. */
  contributed: Map<string, string>;
}

/** Type and field names of a schema (without introspection and scalars). */
function namesOf(schema: GraphQLSchema): { types: Set<string>; fields: Set<string> } {
  const types = new Set<string>();
  const fields = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    types.add(type.name);
    if (isObjectType(type))
      for (const field of Object.keys(type.getFields())) fields.add(`${type.name}.${field}`);
  }
  return { types, fields };
}

/** `Type.field` of every root handler and field resolver that a plugin's resolver classes declare. */
function declaredFields(resolvers: readonly ClassType[]): string[] {
  const storage = getMetadataStorage();
  const mine = (target: unknown) => resolvers.includes(target as ClassType);
  const roots = [
    ...storage.queries.filter((q) => mine(q.target)).map((q) => `Query.${q.schemaName}`),
    ...storage.mutations.filter((m) => mine(m.target)).map((m) => `Mutation.${m.schemaName}`),
    ...storage.subscriptions
      .filter((s) => mine(s.target))
      .map((s) => `Subscription.${s.schemaName}`),
  ];
  const extensions = storage.fieldResolvers
    .filter((f) => mine(f.target) && f.getObjectType)
    .map((f) => {
      const cls = f.getObjectType!();
      const named = storage.objectTypes.find((o) => o.target === cls);
      return `${named?.name ?? cls.name}.${f.schemaName}`;
    });
  return [...roots, ...extensions];
}

function dependencyResolvers(plugin: ValidatedPlugin, byId: Map<string, ValidatedPlugin>) {
  const seen = new Set<string>();
  const collect = (p: ValidatedPlugin): ClassType[] =>
    (p.definition.dependsOn ?? []).flatMap((id) => {
      if (seen.has(id)) return [];
      seen.add(id);
      const dep = byId.get(id)!;
      return [...collect(dep), ...((dep.definition.resolvers ?? []) as ClassType[])];
    });
  return collect(plugin);
}

async function buildOrClash(plugin: ValidatedPlugin, resolvers: ClassType[], owner: string) {
  try {
    return await buildUnprotectedSchema({ resolvers });
  } catch (error) {
    const duplicate = /multiple types named "(\w+)"/.exec((error as Error).message);
    if (duplicate)
      throw PluginError.graphqlClash(
        ['plugins', plugin.index, 'resolvers'],
        plugin.definition.id,
        duplicate[1]!,
        owner,
      );
    throw PluginError.invalidDefinition(
      ['plugins', plugin.index, 'resolvers'],
      plugin.definition.id,
      `its resolvers do not build a schema: ${(error as Error).message}`,
    );
  }
}

function ruleFor(
  plugin: ValidatedPlugin,
  coordinate: string,
): { type: string; field: string; permission: FieldPermission } {
  const [type, field] = coordinate.split('.') as [string, string];
  const entry = plugin.definition.permissions?.[type];
  const permission = entry && (isFieldPermission(entry) ? entry : entry[field]);
  const path = ['plugins', plugin.index, 'permissions', type, field];
  if (!permission) throw PluginError.permissionMissing(path, plugin.definition.id, coordinate);
  if (permission.kind === 'allow' && ROOT_TYPES.has(type))
    throw PluginError.invalidDefinition(
      path,
      plugin.definition.id,
      `a root field cannot be "allow"; use "authenticated", "roles", "patient" or "category".`,
    );
  if (
    (permission.kind === 'patient' || permission.kind === 'category') &&
    !isDataCategory(permission.category)
  )
    throw PluginError.invalidDefinition(
      path,
      plugin.definition.id,
      `"${String(permission.category)}" is not a data category of the permission matrix.`,
    );
  if (permission.kind === 'patient' && !/^\w+(\.\w+)*$/.test(String(permission.argument)))
    throw PluginError.invalidDefinition(
      path,
      plugin.definition.id,
      'a "patient" rule names the argument that holds the patient id (a dotted path).',
    );
  return { type, field, permission };
}

function checkNoStaleRules(plugin: ValidatedPlugin, contributed: Set<string>) {
  for (const [type, entry] of Object.entries(plugin.definition.permissions ?? {})) {
    const fields = isFieldPermission(entry) ? [] : Object.keys(entry);
    const known = [...contributed].some((c) => c.startsWith(`${type}.`));
    const stale = !known ? [undefined] : fields.filter((f) => !contributed.has(`${type}.${f}`));
    if (stale.length)
      throw PluginError.invalidDefinition(
        ['plugins', plugin.index, 'permissions', type, ...(stale[0] ? [stale[0]] : [])],
        plugin.definition.id,
        `a rule names ${stale[0] ? `field "${type}.${stale[0]}"` : `type "${type}"`}, which the plugin does not add.`,
      );
  }
}

/**
 * Works out what each plugin adds to the GraphQL schema (by building core plus the plugin and its
 * dependencies), refuses clashes with core or another plugin, and requires a permission rule for
 * every added field. Deny stays the fallback for anything not covered.
 */
export async function pluginSchemaParts(
  plugins: readonly ValidatedPlugin[],
): Promise<PluginSchemaParts> {
  const parts: PluginSchemaParts = { resolvers: [], permissions: {}, contributed: new Map() };
  const withResolvers = plugins.filter((p) => p.definition.resolvers?.length);
  if (!withResolvers.length) return parts;
  const core = namesOf(await buildUnprotectedSchema());
  const typeOwner = new Map<string, string>();
  const byId = new Map(plugins.map((p) => [p.definition.id, p]));
  for (const plugin of withResolvers) {
    const id = plugin.definition.id;
    const own = plugin.definition.resolvers as ClassType[];
    const deps = dependencyResolvers(plugin, byId);
    const path = ['plugins', plugin.index, 'resolvers'];
    for (const coordinate of declaredFields(own)) {
      if (core.fields.has(coordinate)) throw PluginError.graphqlClash(path, id, coordinate, 'core');
      const other = parts.contributed.get(coordinate);
      if (other) throw PluginError.graphqlClash(path, id, coordinate, `plugin "${other}"`);
    }
    const base = deps.length ? namesOf(await buildOrClash(plugin, deps, 'core')) : core;
    const schema = await buildOrClash(plugin, [...deps, ...own], 'core');
    const added = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (base.types.has(type.name)) {
        if (!isObjectType(type)) continue;
        for (const f of Object.keys(type.getFields()))
          if (!base.fields.has(`${type.name}.${f}`)) added.add(`${type.name}.${f}`);
        continue;
      }
      const owner = typeOwner.get(type.name);
      if (owner) throw PluginError.graphqlClash(path, id, type.name, `plugin "${owner}"`);
      typeOwner.set(type.name, id);
      if (isObjectType(type))
        for (const f of Object.keys(type.getFields())) added.add(`${type.name}.${f}`);
    }
    checkNoStaleRules(plugin, added);
    for (const coordinate of added) {
      const { type, field, permission } = ruleFor(plugin, coordinate);
      const rules = (parts.permissions[type] ??= {}) as Record<string, ShieldRule>;
      rules[field] = ruleOfPermission(permission);
      parts.contributed.set(coordinate, id);
    }
    parts.resolvers.push(...own);
  }
  return parts;
}
