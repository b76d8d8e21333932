import { validate, type ValidationError } from 'class-validator';
import { getNamedType, GraphQLID, type GraphQLResolveInfo } from 'graphql';
import type { ValidatorFn } from 'type-graphql';
import { isEntityId } from '@caregraph/schema';
import { BadUserInputError, type InvalidField } from '../errors/caregraph-error.js';

function flatten(errors: ValidationError[], prefix: (string | number)[]): InvalidField[] {
  return errors.flatMap((error) => {
    const path = [
      ...prefix,
      /^\d+$/.test(error.property) ? Number(error.property) : error.property,
    ];
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** The argument name whose GraphQL type is `typeName`, or undefined for an @ArgsType class. */
function argumentNameOf(info: GraphQLResolveInfo, typeName: string): string | undefined {
  const field = info.parentType.getFields()[info.fieldName];
  return field?.args.find((arg) => getNamedType(arg.type).name === typeName)?.name;
}

/**
 * Runs class-validator on each argument and reports every problem at once as BAD_USER_INPUT,
 * each with its full path (e.g. `input.names.0.family`).
 */
/** Every record id is a UUID: a malformed one is bad input, not a database error. */
function checkIdArgument(value: unknown, args: Record<string, unknown>): void {
  const values = Array.isArray(value) ? value : [value];
  if (values.every((v) => typeof v !== 'string' || isEntityId(v))) return;
  const name = Object.keys(args).find((key) => args[key] === value) ?? 'id';
  throw BadUserInputError.field([name], 'must be an id returned by this API');
}

export const validateArguments: ValidatorFn = async (value, type, { info, args }) => {
  if (type === GraphQLID) return checkIdArgument(value, args);
  if (value === null || value === undefined || typeof value !== 'object') return;
  const values = Array.isArray(value) ? value : [value];
  const typeName = typeof type === 'function' ? type.name : undefined;
  const argumentName = typeName ? argumentNameOf(info, typeName) : undefined;
  const problems: InvalidField[] = [];
  for (const [index, item] of values.entries()) {
    if (item === null || typeof item !== 'object') continue;
    const errors = await validate(item as object, {
      forbidUnknownValues: false,
      validationError: { target: false, value: false },
    });
    const prefix = argumentName
      ? Array.isArray(value)
        ? [argumentName, index]
        : [argumentName]
      : [];
    problems.push(...flatten(errors, prefix));
  }
  if (problems.length) throw BadUserInputError.invalid(problems);
};
