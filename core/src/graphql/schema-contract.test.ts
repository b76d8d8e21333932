import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { getNamedType, isObjectType, printSchema, type GraphQLSchema } from 'graphql';
import { buildUnprotectedSchema, connectionTypeNames } from './build-schema.js';
import { buildPermissions } from '../security/permissions.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildUnprotectedSchema();
});

describe('GraphQL contract', () => {
  it('matches the committed schema/schema.graphql (run "npm run schema:print" after changing types)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(`${printSchema(schema)}\n`).toBe(committed);
  });

  it('has the root fields clients rely on', () => {
    const fields = (name: 'Query' | 'Mutation' | 'Subscription') =>
      Object.keys((schema.getType(name) as unknown as { getFields(): object }).getFields());
    expect(fields('Query')).toEqual(
      expect.arrayContaining([
        'me',
        'patient',
        'patients',
        'patientByIdentifier',
        'practitioners',
        'careTeam',
        'appointments',
        'auditEvents',
      ]),
    );
    expect(fields('Mutation')).toEqual(
      expect.arrayContaining([
        'createPatient',
        'updatePatient',
        'mergePatients',
        'addCareTeamMember',
        'removeCareTeamMember',
        'bookAppointment',
        'cancelAppointment',
        'createTask',
        'completeTask',
        'recordConsent',
        'revokeConsent',
      ]),
    );
    expect(fields('Subscription')).toEqual(
      expect.arrayContaining(['careTeamFeed', 'patientEvents']),
    );
    const patient = Object.keys(
      (schema.getType('Patient') as unknown as { getFields(): object }).getFields(),
    );
    expect(patient).toEqual(
      expect.arrayContaining([
        'identifiers',
        'name',
        'birthDate',
        'gender',
        'telecom',
        'address',
        'preferredLanguage',
        'careTeams',
        'appointments',
        'encounters',
        'observations',
        'conditions',
        'medications',
        'allergies',
        'coverages',
        'carePlans',
        'tasks',
        'communications',
        'consents',
        'timeline',
      ]),
    );
  });

  it('gives every field of every object type an explicit authorization rule', () => {
    const permissions = buildPermissions(connectionTypeNames(schema));
    const uncovered: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const rules = permissions[type.name];
      for (const field of Object.keys(type.getFields())) {
        const covered =
          rules !== undefined &&
          (typeof (rules as { resolve?: unknown }).resolve === 'function' ||
            field in (rules as object));
        if (!covered) uncovered.push(`${type.name}.${field}`);
      }
    }
    expect(uncovered).toEqual([]);
  });

  it('guards every PHI-bearing Patient field with a field-level rule', () => {
    const permissions = buildPermissions(connectionTypeNames(schema)) as Record<
      string,
      Record<string, unknown>
    >;
    const patientFields = Object.keys(
      (schema.getType('Patient') as unknown as { getFields(): object }).getFields(),
    );
    expect(Object.keys(permissions.Patient!).sort()).toEqual(patientFields.sort());
    expect(getNamedType(schema.getQueryType()!.getFields().patients!.type).name).toBe(
      'PatientConnection',
    );
  });
});
