import { CompiledQuery, type DatabaseConnection } from 'kysely';
import { currentTenantSetting, TENANT_SETTING } from './tenant-scope.js';

/**
 * The `onReserveConnection` hook of the PostgreSQL pool: before a pooled connection runs
 * anything for the current scope, its `caregraph.tenant_id` is set to the scope's tenant (see
 * `tenant-scope.ts`). The value is session-wide and set outside any transaction (the hook runs
 * before `begin`), so it is remembered per connection and only re-set when the next user of
 * the connection needs another value: with one tenant per instance it costs nothing per query.
 */
export function tenantSettingHook(): (connection: DatabaseConnection) => Promise<void> {
  const applied = new WeakMap<DatabaseConnection, string>();
  return async (connection) => {
    const setting = currentTenantSetting();
    if (applied.get(connection) === setting) return;
    // Forget first: if the statement fails the connection's value is unknown.
    applied.delete(connection);
    await connection.executeQuery(
      CompiledQuery.raw('select set_config($1, $2, false)', [TENANT_SETTING, setting]),
    );
    applied.set(connection, setting);
  };
}
