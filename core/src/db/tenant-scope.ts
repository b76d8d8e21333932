import { AsyncLocalStorage } from 'node:async_hooks';
import { isEntityId } from '@caregraph/schema';

/**
 * The PostgreSQL setting the row-level security policies read (migration
 * `row_level_security`): a tenant id, `*` for the hub's own cross-tenant work, or empty.
 */
export const TENANT_SETTING = 'caregraph.tenant_id';

/** The setting's value in system scope: every tenant's rows. */
export const SYSTEM_SCOPE_SETTING = '*';

interface DatabaseScope {
  /** What `caregraph.tenant_id` is set to on the connections this scope uses. */
  setting: string;
  /** A request scope opened before its caller is known; `bindRequestTenant` fills it once. */
  bindable: boolean;
}

const scopes = new AsyncLocalStorage<DatabaseScope>();

function checkedTenant(tenantId: string): string {
  if (!isEntityId(tenantId)) throw new Error('A tenant scope needs a tenant id (a UUID).');
  return tenantId.toLowerCase();
}

/**
 * Runs `fn` with the database connections it uses restricted to one tenant's rows (on
 * PostgreSQL with row-level security; the tenant filter applies everywhere).
 */
export function withTenantScope<T>(tenantId: string, fn: () => T): T {
  return scopes.run({ setting: checkedTenant(tenantId), bindable: false }, fn);
}

/**
 * Runs `fn` with access to every tenant's rows: only for the hub's own cross-tenant work
 * (migrations, finding the user of a token, key management, audit verification). Never
 * around code that serves a request's data.
 */
export function withSystemScope<T>(fn: () => T): T {
  return scopes.run({ setting: SYSTEM_SCOPE_SETTING, bindable: false }, fn);
}

/**
 * Runs an HTTP request in a scope that sees no tenant rows until `bindRequestTenant` names the
 * caller's tenant (the caller is known only once its token has been checked).
 */
export function runInRequestDatabaseScope<T>(fn: () => T): T {
  return scopes.run({ setting: '', bindable: true }, fn);
}

/** Binds the current request scope to the caller's tenant; a no-op outside a request scope. */
export function bindRequestTenant(tenantId: string): void {
  const scope = scopes.getStore();
  if (!scope?.bindable) return;
  const tenant = checkedTenant(tenantId);
  if (scope.setting && scope.setting !== tenant)
    throw new Error('A request scope is already bound to another tenant.');
  scope.setting = tenant;
}

/** The value `caregraph.tenant_id` must have for the current scope (empty: no tenant rows). */
export function currentTenantSetting(): string {
  return scopes.getStore()?.setting ?? '';
}

/**
 * Wraps an async iterable (a subscription's event stream) so each step runs in the tenant's
 * scope: graphql-ws pulls events from outside any request, and each event is resolved (and
 * re-authorised, with database reads) inside `next()`.
 */
export function tenantScopedIterable<T>(
  tenantId: string,
  iterable: AsyncIterable<T>,
): AsyncIterableIterator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  return {
    next: (...args: [] | [unknown]) => withTenantScope(tenantId, () => iterator.next(...args)),
    return: (value?: unknown) =>
      withTenantScope(tenantId, () =>
        iterator.return
          ? iterator.return(value as T)
          : Promise.resolve({ done: true as const, value: value as T }),
      ),
    throw: (error?: unknown) =>
      withTenantScope(tenantId, () =>
        iterator.throw ? iterator.throw(error) : Promise.reject(error as Error),
      ),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
