import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { ErrorCode, UnauthenticatedError } from '../errors/caregraph-error.js';
import { RECORD_TYPES, VALUE_TYPES } from '../security/permissions.js';
import { buildUnprotectedSchema, protectSchema } from './build-schema.js';

/*
 * Record types keep their `isAuthenticated` rule when their fields are resolved without
 * graphql-shield's async middleware (#3, read overhead): a caller without an actor gets
 * UNAUTHENTICATED on every field, a signed-in caller the field's value, synchronously.
 */

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = protectSchema(await buildUnprotectedSchema());
});

const signedIn = { actor: { userId: 'u', tenantId: 't', roles: ['physician'] } };

function resolveField(typeName: string, fieldName: string, parent: object, ctx: object): unknown {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const field = type.getFields()[fieldName]!;
  const info = { fieldName, parentType: type, returnType: field.type } as GraphQLResolveInfo;
  return field.resolve!(parent, {}, ctx, info);
}

describe('record types without the shield middleware (#3)', () => {
  it('refuses every field of every record type to a request without a signed-in caller', () => {
    let checked = 0;
    for (const typeName of RECORD_TYPES) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) continue;
      for (const fieldName of Object.keys(type.getFields())) {
        const result = resolveField(typeName, fieldName, { [fieldName]: 'secret' }, {});
        expect(result).toBeInstanceOf(UnauthenticatedError);
        expect((result as UnauthenticatedError).code).toBe(ErrorCode.UNAUTHENTICATED);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('answers a signed-in caller with the field value, without a promise', () => {
    expect(resolveField('Observation', 'unit', { unit: 'mmHg' }, signedIn)).toBe('mmHg');
    expect(resolveField('PatientIdentifier', 'system', { system: 'urn:mrn' }, signedIn)).toBe(
      'urn:mrn',
    );
  });

  it('leaves value types unguarded (reachable only through guarded fields)', () => {
    expect(VALUE_TYPES).toContain('HumanName');
    expect(resolveField('HumanName', 'text', { text: 'Ada' }, {})).toBe('Ada');
  });
});
