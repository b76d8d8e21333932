import { allow, or, rule } from 'graphql-shield';
import { isEntityId, type Role } from '@caregraph/schema';
import { hasAnyRole } from '../auth/actor.js';
import type { RequestContext } from '../context/request-context.js';
import { UnauthenticatedError } from '../errors/caregraph-error.js';
import type { AccessAction, DataCategory } from './access-matrix.js';
import { reaches, type AccessReach } from './access-policy.js';

export { allow };

/** A graphql-shield rule (the package does not export this type). */
export type ShieldRule = Parameters<typeof or>[number];

/** A graphql-shield rule map: a rule per type, or per field of a type. */
export type RuleTypeMap = Record<string, ShieldRule | Record<string, ShieldRule>>;

/*
 * A rule that refuses returns `false` (shield answers with its fallback error, FORBIDDEN)
 * rather than building an Error: inside `or(...)` most alternatives refuse on every field, and
 * capturing a stack trace each time was a measurable share of a read's CPU.
 */

/** The error for a request without a signed-in caller; `undefined` when there is one. */
export function unauthenticated(ctx: RequestContext): UnauthenticatedError | undefined {
  return ctx.actor ? undefined : UnauthenticatedError.missingToken();
}

/**
 * Signed in (a verified token of an active user). Depends on the request only: record types
 * guarded by it are checked synchronously per field (see `guardAuthenticatedTypes`).
 */
export const isAuthenticated: ShieldRule = rule({ cache: 'contextual' })(
  (_parent, _args, ctx: RequestContext) => unauthenticated(ctx) ?? true,
);

const rulesByName = new Map<string, ShieldRule>();

/** One rule instance per name: shield refuses two different rules with the same name. */
function memoRule(name: string, create: (name: string) => ShieldRule): ShieldRule {
  let existing = rulesByName.get(name);
  if (!existing) {
    existing = create(name);
    rulesByName.set(name, existing);
  }
  return existing;
}

/** Signed in with one of `roles`, cached once per request. */
export function hasRole(...roles: Role[]): ShieldRule {
  return memoRule(`hasRole:${[...new Set(roles)].sort().join(',')}`, (name) =>
    rule(name, { cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
      if (!ctx.actor) return UnauthenticatedError.missingToken();
      return hasAnyRole(ctx.actor, roles);
    }),
  );
}

/**
 * The parent (a Patient) may be read in `category` by the caller: the matrix plus the caller's
 * relationship to that patient. Evaluated per patient, memoised per request by PatientAccess.
 */
export function patientCategory(category: DataCategory): ShieldRule {
  return memoRule(`patientCategory:${category}`, (name) =>
    rule(name, { cache: 'no_cache' })((parent, _args, ctx: RequestContext) => {
      if (!ctx.access) return UnauthenticatedError.missingToken();
      return ctx.access.mayRead((parent as { id: string }).id, category);
    }),
  );
}

/** Reads the value at a dotted path (`input.patientId`) of a resolver's arguments. */
export function argumentAt(args: Record<string, unknown>, path: string): unknown {
  let value: unknown = args;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

/** The caller may `action` `category` of the patient whose id is at `path` in the arguments. */
export function patientArgument(
  path: string,
  category: DataCategory,
  action: AccessAction,
): ShieldRule {
  return memoRule(`patientArgument:${path}:${category}:${action}`, (name) => {
    // The answer depends on the id at `path` only: cache by it (shield's `strict` hashes the
    // parent and all arguments with object-hash on every call).
    const byPatient = (_parent: unknown, args: Record<string, unknown>) => {
      const patientId = argumentAt(args, path);
      return typeof patientId === 'string' ? `id:${patientId}` : 'no-id';
    };
    return rule(name, { cache: byPatient })(async (_parent, args, ctx: RequestContext) => {
      if (!ctx.access) return UnauthenticatedError.missingToken();
      const patientId = argumentAt(args as Record<string, unknown>, path);
      if (typeof patientId !== 'string') return false;
      // A malformed id reaches the resolver's validation, which answers BAD_USER_INPUT.
      if (!isEntityId(patientId)) return true;
      if (action === 'read') return ctx.access.mayRead(patientId, category);
      const decision = await ctx.access.decide(patientId, category, action);
      if (!decision.allowed) ctx.access.recordRefusal(patientId, `${category}:${action}`);
      return decision.allowed;
    });
  });
}

/**
 * The caller may `action` `category` for some patients (`any`), as staff (`staff`: the whole
 * tenant or their care teams) or for every patient of the tenant (`tenant`), for the request's
 * purpose of use. Patient-level checks follow in the
 * services (`requireAccess`) or in the data (filters by relationship).
 */
export function matrixAllows(
  category: DataCategory,
  action: AccessAction,
  reach: AccessReach = 'any',
): ShieldRule {
  return memoRule(`matrix:${category}:${action}:${reach}`, (name) =>
    rule(name, { cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
      if (!ctx.actor) return UnauthenticatedError.missingToken();
      return reaches(ctx.actor, category, action, ctx.purposeOfUse, reach);
    }),
  );
}
