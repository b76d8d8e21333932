import { Field, FieldResolver, Float, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Patient, Role } from '@caregraph/schema';
import { PluginErrorCode, type PluginDefinition } from '@caregraph/plugin-sdk';
import type { GraphQLObjectType } from 'graphql';
import { buildUnprotectedSchema } from '../graphql/build-schema.js';
import { PluginError } from './plugin-error.js';
import { pluginSchemaParts } from './plugin-schema.js';
import { validatePlugins, type PluginEntry } from './validate-plugins.js';

@ObjectType()
class FixtureReading {
  @Field(() => Float)
  value!: number;

  @Field()
  unit!: string;
}

@Resolver()
class ReadingsResolver {
  @Query(() => [FixtureReading])
  fixtureReadings(): FixtureReading[] {
    return [];
  }
}

@Resolver()
class OtherReadingsResolver {
  @Query(() => [FixtureReading])
  otherReadings(): FixtureReading[] {
    return [];
  }
}

@Resolver()
class PatientQueryResolver {
  @Query(() => String)
  patient(): string {
    return '';
  }
}

@ObjectType('Patient')
class ImpostorPatient {
  @Field()
  id!: string;
}

@Resolver()
class ImpostorResolver {
  @Query(() => ImpostorPatient)
  impostor(): ImpostorPatient {
    return { id: '' };
  }
}

@Resolver(() => Patient)
class PatientScoreResolver {
  @FieldResolver(() => Float)
  fixtureScore(@Root() _patient: Patient): number {
    return 0;
  }
}

const admin = { kind: 'roles', roles: [Role.ADMIN] } as const;

const plugin = (id: string, extra: Partial<PluginDefinition>): PluginDefinition => ({
  id,
  version: '1.0.0',
  apiVersion: '^1.0.0',
  ...extra,
});

const readings = (id = 'readings'): PluginDefinition =>
  plugin(id, {
    resolvers: [ReadingsResolver],
    permissions: { Query: { fixtureReadings: admin }, FixtureReading: { kind: 'authenticated' } },
  });

async function parts(entries: PluginEntry[]) {
  return pluginSchemaParts(await validatePlugins(entries));
}

async function failure(entries: PluginEntry[]): Promise<PluginError> {
  const error = await parts(entries).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginError);
  return error as PluginError;
}

describe('plugin GraphQL contributions (issue 4)', () => {
  it('collects the fields a plugin adds, each with its rule', async () => {
    const result = await parts([
      readings(),
      plugin('scores', {
        resolvers: [PatientScoreResolver],
        permissions: { Patient: { fixtureScore: admin } },
      }),
    ]);
    expect(Object.fromEntries(result.contributed)).toEqual({
      'Query.fixtureReadings': 'readings',
      'FixtureReading.value': 'readings',
      'FixtureReading.unit': 'readings',
      'Patient.fixtureScore': 'scores',
    });
    expect(Object.keys(result.permissions).sort()).toEqual(['FixtureReading', 'Patient', 'Query']);
    // type-graphql keeps a field resolver's field in its global metadata; core alone must not.
    const core = await buildUnprotectedSchema();
    expect((core.getType('Patient') as GraphQLObjectType).getFields().fixtureScore).toBeUndefined();
  });

  it('refuses a contributed field without a permission rule, naming the field', async () => {
    const error = await failure([
      plugin('a', { resolvers: [] }),
      plugin('readings', {
        resolvers: [ReadingsResolver],
        permissions: { Query: { fixtureReadings: admin } },
      }),
    ]);
    expect(error.code).toBe(PluginErrorCode.PERMISSION_MISSING);
    expect(error.path).toBe('plugins[1].permissions.FixtureReading.value');
    expect(error.details.field).toBe('FixtureReading.value');
  });

  it('refuses a field added to a core type without a rule', async () => {
    const error = await failure([plugin('scores', { resolvers: [PatientScoreResolver] })]);
    expect(error.code).toBe(PluginErrorCode.PERMISSION_MISSING);
    expect(error.path).toBe('plugins[0].permissions.Patient.fixtureScore');
  });

  it('refuses "allow" on a root field', async () => {
    const error = await failure([
      plugin('readings', {
        resolvers: [ReadingsResolver],
        permissions: { Query: { fixtureReadings: { kind: 'allow' } }, FixtureReading: admin },
      }),
    ]);
    expect(error.code).toBe(PluginErrorCode.INVALID_DEFINITION);
    expect(error.path).toBe('plugins[0].permissions.Query.fixtureReadings');
  });

  it('accepts patient and category rules of the matrix (API 1.5.0)', async () => {
    const result = await parts([
      plugin('readings', {
        resolvers: [ReadingsResolver],
        permissions: {
          Query: { fixtureReadings: { kind: 'patient', category: 'clinical', argument: 'id' } },
          FixtureReading: { kind: 'category', category: 'clinical' },
        },
      }),
    ]);
    expect(Object.keys(result.permissions).sort()).toEqual(['FixtureReading', 'Query']);
  });

  it('refuses a patient or category rule naming no data category, or no argument', async () => {
    const misspelt = await failure([
      plugin('readings', {
        resolvers: [ReadingsResolver],
        permissions: {
          Query: { fixtureReadings: admin },
          FixtureReading: { kind: 'category', category: 'clinicals' as 'clinical' },
        },
      }),
    ]);
    expect(misspelt.code).toBe(PluginErrorCode.INVALID_DEFINITION);
    expect(misspelt.path).toBe('plugins[0].permissions.FixtureReading.value');
    expect(misspelt.message).toContain('"clinicals" is not a data category');

    const argumentless = await failure([
      plugin('readings', {
        resolvers: [ReadingsResolver],
        permissions: {
          Query: { fixtureReadings: { kind: 'patient', category: 'clinical', argument: '' } },
          FixtureReading: admin,
        },
      }),
    ]);
    expect(argumentless.code).toBe(PluginErrorCode.INVALID_DEFINITION);
    expect(argumentless.path).toBe('plugins[0].permissions.Query.fixtureReadings');
  });

  it('refuses a root field that core already has', async () => {
    const error = await failure([
      plugin('clash', { resolvers: [PatientQueryResolver], permissions: { Query: admin } }),
    ]);
    expect(error.code).toBe(PluginErrorCode.GRAPHQL_CLASH);
    expect(error.path).toBe('plugins[0].resolvers');
    expect(error.details).toMatchObject({ name: 'Query.patient', owner: 'core' });
  });

  it('refuses a type that core already has', async () => {
    const error = await failure([
      plugin('impostor', {
        resolvers: [ImpostorResolver],
        permissions: { Query: admin, Patient: admin },
      }),
    ]);
    expect(error.code).toBe(PluginErrorCode.GRAPHQL_CLASH);
    expect(error.details).toMatchObject({ name: 'Patient', owner: 'core' });
  });

  it('refuses a field or type that another plugin already added', async () => {
    const field = await failure([readings('first'), readings('second')]);
    expect(field.code).toBe(PluginErrorCode.GRAPHQL_CLASH);
    expect(field.path).toBe('plugins[1].resolvers');
    expect(field.details).toMatchObject({ name: 'Query.fixtureReadings', owner: 'plugin "first"' });
    const type = await failure([
      readings('first'),
      plugin('second', {
        resolvers: [OtherReadingsResolver],
        permissions: { Query: admin, FixtureReading: admin },
      }),
    ]);
    expect(type.details).toMatchObject({ name: 'FixtureReading', owner: 'plugin "first"' });
  });

  it('refuses a rule for a field the plugin does not add', async () => {
    const error = await failure([
      plugin('readings', {
        resolvers: [ReadingsResolver],
        permissions: {
          Query: { fixtureReadings: admin, patients: admin },
          FixtureReading: admin,
        },
      }),
    ]);
    expect(error.code).toBe(PluginErrorCode.INVALID_DEFINITION);
    expect(error.path).toBe('plugins[0].permissions.Query.patients');
  });
});
