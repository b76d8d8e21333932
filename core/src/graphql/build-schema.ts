import { applyMiddleware } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import {
  defaultFieldResolver,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import {
  buildSchema,
  getMetadataStorage,
  type ClassType,
  type ContainerType,
  type NonEmptyArray,
  type PubSub,
} from 'type-graphql';
import { ForbiddenError } from '../errors/caregraph-error.js';
import { buildPermissions, mergeRuleMaps } from '../security/permissions.js';
import type { RequestContext } from '../context/request-context.js';
import { allow, isAuthenticated, unauthenticated, type RuleTypeMap } from '../security/rules.js';
import { AuditResolver, PatientAccessLogResolver } from './resolvers/audit-resolver.js';
import { BreakGlassResolver } from './resolvers/break-glass-resolver.js';
import { MutationResolver } from './resolvers/mutation-resolver.js';
import { PatientFieldsResolver } from './resolvers/patient-fields-resolver.js';
import { PatientRightsResolver } from './resolvers/patient-rights-resolver.js';
import { PopulationResolver } from './resolvers/population-resolver.js';
import { PluginsResolver } from './resolvers/plugins-resolver.js';
import { QueryResolver } from './resolvers/query-resolver.js';
import {
  AppointmentFieldsResolver,
  CarePlanFieldsResolver,
  CareTeamFieldsResolver,
  CareTeamMemberFieldsResolver,
  ConsentFieldsResolver,
  EncounterFieldsResolver,
  MedicationRequestFieldsResolver,
  PATIENT_FIELD_RESOLVERS,
  TaskFieldsResolver,
  UserFieldsResolver,
} from './resolvers/record-fields-resolvers.js';
import { SubscriptionResolver } from './resolvers/subscription-resolver.js';
import { validateArguments } from './validate-arguments.js';

/** Every resolver of the core model, in a fixed order (so the printed SDL is stable). */
export const CORE_RESOLVERS = [
  QueryResolver,
  MutationResolver,
  SubscriptionResolver,
  PatientRightsResolver,
  BreakGlassResolver,
  AuditResolver,
  PopulationResolver,
  PluginsResolver,
  PatientFieldsResolver,
  PatientAccessLogResolver,
  AppointmentFieldsResolver,
  EncounterFieldsResolver,
  TaskFieldsResolver,
  ConsentFieldsResolver,
  MedicationRequestFieldsResolver,
  CarePlanFieldsResolver,
  CareTeamFieldsResolver,
  CareTeamMemberFieldsResolver,
  UserFieldsResolver,
  ...PATIENT_FIELD_RESOLVERS,
] as const;

/**
 * type-graphql requires a pubSub when a resolver has `@Subscription`, but ours pass their own
 * `subscribe` (which authorises every event per receiver), so topic-based pub/sub must never run.
 */
const TOPICS_UNUSED: PubSub = {
  publish() {
    throw new Error(
      'CareGraph subscriptions do not use type-graphql topics; publish to the EventBus.',
    );
  },
  subscribe() {
    throw new Error('CareGraph subscriptions do not use type-graphql topics.');
  },
};

/** What plugins add to the schema (core/src/plugins/plugin-schema.ts). */
export interface SchemaExtension {
  /** Plugin resolvers, after the core ones. */
  resolvers?: readonly ClassType[];
  /** Rules of the plugin fields, merged into the core rule map. */
  permissions?: RuleTypeMap;
  /** Creates resolver instances (the `plugins` query needs the plugin host). */
  container?: ContainerType;
}

/** The parts of type-graphql's global metadata that a build with field resolvers changes. */
interface FieldMetadataStore {
  fields: unknown[];
  objectTypes: { fields?: unknown[] }[];
  interfaceTypes: { fields?: unknown[] }[];
}

/**
 * type-graphql adds the field of a `@FieldResolver` to its object type's metadata for good, so a
 * later build without that resolver (core alone, another hub's plugins) would still serve it.
 * Each build puts the metadata back as it found it; the built schema keeps what it needs.
 */
async function withRestoredFieldMetadata<T>(build: () => Promise<T>): Promise<T> {
  const storage = getMetadataStorage() as unknown as FieldMetadataStore;
  const fields = [...storage.fields];
  const types = [...storage.objectTypes, ...storage.interfaceTypes].map(
    (type) => [type, type.fields && [...type.fields]] as const,
  );
  try {
    return await build();
  } finally {
    storage.fields = fields;
    for (const [type, saved] of types) type.fields = saved;
  }
}

/** Builds the schema from the type-graphql resolvers, without authorization. */
export async function buildUnprotectedSchema(
  extension: SchemaExtension = {},
): Promise<GraphQLSchema> {
  return withRestoredFieldMetadata(() =>
    buildSchema({
      resolvers: [
        ...CORE_RESOLVERS,
        ...(extension.resolvers ?? []),
      ] as unknown as NonEmptyArray<ClassType>,
      validateFn: validateArguments,
      emitSchemaFile: false,
      pubSub: TOPICS_UNUSED,
      container: extension.container,
    }),
  );
}

/** Names of the generated Relay connection and edge types. */
export function connectionTypeNames(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && /(Connection|Edge)$/.test(type.name))
    .map((type) => type.name);
}

/**
 * Gives back the plain resolvers of types whose rule does not depend on the field or the
 * parent: `allow` (value types such as HumanName, connection plumbing) unwrapped, and
 * `isAuthenticated` (record types) with the same check made synchronously. graphql-shield wraps
 * every field in an async middleware, and those wrappers (three promises per field, ~250 fields
 * in a chart) were the largest part of authorization's cost (BENCHMARKS.md, graphql-read).
 */
function unwrapRequestLevelRules(
  protectedSchema: GraphQLSchema,
  original: GraphQLSchema,
  permissions: RuleTypeMap,
): void {
  for (const [typeName, rule] of Object.entries(permissions)) {
    if (rule !== allow && rule !== isAuthenticated) continue;
    const wrapped = protectedSchema.getType(typeName);
    const plain = original.getType(typeName);
    if (!isObjectType(wrapped) || !isObjectType(plain)) continue;
    const plainFields = plain.getFields();
    for (const [name, field] of Object.entries(wrapped.getFields())) {
      const resolve = plainFields[name]?.resolve;
      field.resolve = rule === allow ? resolve : signedInOnly(resolve ?? defaultFieldResolver);
    }
  }
}

/** `isAuthenticated` without the promises: the field's own resolver, or UNAUTHENTICATED. */
function signedInOnly(
  resolve: GraphQLFieldResolver<unknown, RequestContext>,
): GraphQLFieldResolver<unknown, RequestContext> {
  return (parent, args, ctx, info) => unauthenticated(ctx) ?? resolve(parent, args, ctx, info);
}

/** Wraps a schema with the graphql-shield rule map: deny by default, our own error masking. */
export function protectSchema(schema: GraphQLSchema, extra: RuleTypeMap = {}): GraphQLSchema {
  const permissions = mergeRuleMaps(
    buildPermissions(connectionTypeNames(schema)),
    extra,
    (type) => {
      const found = schema.getType(type);
      return isObjectType(found) ? Object.keys(found.getFields()) : [];
    },
  );
  const middleware = shield(permissions, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: () => ForbiddenError.notAllowed(),
    debug: false,
  } as never);
  const protectedSchema = applyMiddleware(schema, middleware);
  unwrapRequestLevelRules(protectedSchema, schema, permissions);
  return protectedSchema;
}

/** The schema the gateway serves: type-graphql resolvers guarded by graphql-shield. */
export async function buildGatewaySchema(
  options: { authorization?: boolean; extension?: SchemaExtension } = {},
): Promise<GraphQLSchema> {
  const schema = await buildUnprotectedSchema(options.extension);
  return options.authorization === false
    ? schema
    : protectSchema(schema, options.extension?.permissions);
}
