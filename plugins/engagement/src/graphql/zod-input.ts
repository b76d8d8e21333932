import { PluginRequestError } from '@caregraph/plugin-sdk';
import type { z } from 'zod';

/**
 * Parses a GraphQL argument with a zod schema; the first issue becomes BAD_USER_INPUT at the
 * argument's path (`['input', 'audience', 'ageMax']`). GraphQL gives absent optional fields as
 * undefined, but a client may send null: both mean unset.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  path: readonly (string | number)[],
): z.output<S> {
  const result = schema.safeParse(withoutNulls(value));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw PluginRequestError.badInput(
    [...path, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    issue.message,
  );
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}
