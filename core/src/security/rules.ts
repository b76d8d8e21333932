import { allow, or, rule } from 'graphql-shield';
import type { Role } from '@caregraph/schema';
import type { RequestContext } from '../context/request-context.js';
import { UnauthenticatedError } from '../errors/caregraph-error.js';
import { isSelf } from './access.js';

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

/** Signed in (a verified token of an active user). */
export const isAuthenticated: ShieldRule = rule({ cache: 'contextual' })(
  (_parent, _args, ctx: RequestContext) => (ctx.actor ? true : UnauthenticatedError.missingToken()),
);

const roleRules = new Map<string, ShieldRule>();

/**
 * Signed in with one of `roles`. One rule instance per role set (shield refuses two rules with
 * one name), cached once per request.
 */
export function hasRole(...roles: Role[]): ShieldRule {
  const name = `hasRole:${[...new Set(roles)].sort().join(',')}`;
  let roleRule = roleRules.get(name);
  if (!roleRule) {
    roleRule = rule(name, { cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
      if (!ctx.actor) return UnauthenticatedError.missingToken();
      return ctx.actor.roles.some((role) => roles.includes(role));
    });
    roleRules.set(name, roleRule);
  }
  return roleRule;
}

/**
 * The caller is the patient the value belongs to. `patientIdOf` reads the patient id from the
 * parent object and the arguments.
 */
export function isPatientThemself(
  name: string,
  patientIdOf: (parent: unknown, args: Record<string, unknown>) => unknown,
): ShieldRule {
  return rule(`isPatientThemself:${name}`, { cache: 'no_cache' })(
    (parent, args, ctx: RequestContext) => {
      if (!ctx.actor) return UnauthenticatedError.missingToken();
      const patientId = patientIdOf(parent, args as Record<string, unknown>);
      return typeof patientId === 'string' && isSelf(ctx.actor, patientId);
    },
  );
}
