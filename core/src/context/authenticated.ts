import { UnauthenticatedError } from '../errors/caregraph-error.js';
import type { AuthenticatedContext, RequestContext } from './request-context.js';

/** Narrows a context to a signed-in one (shield has already denied anonymous callers). */
export function authenticated(ctx: RequestContext): AuthenticatedContext {
  if (!ctx.actor || !ctx.tenantId || !ctx.em || !ctx.loaders || !ctx.access)
    throw UnauthenticatedError.missingToken();
  return ctx as AuthenticatedContext;
}
