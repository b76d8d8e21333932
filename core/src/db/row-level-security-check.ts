import type { MikroORM } from '@mikro-orm/sql';
import type { CareGraphConfig } from '../config/config-schema.js';
import { DatabaseRoleError } from '../errors/caregraph-error.js';
import type { Logger } from '../logging/logger.js';
import type { DatabaseTarget } from './create-orm.js';

/** Whether the connected role is exempt from row-level security, and its name. */
export async function roleBypassesRowLevelSecurity(
  orm: MikroORM,
): Promise<{ role: string; bypasses: boolean }> {
  const [row] = await orm.em
    .getConnection()
    .execute<{ role: string; bypasses: boolean }[]>(
      'select current_user as role, (rolsuper or rolbypassrls) as bypasses from pg_roles where rolname = current_user',
    );
  return row;
}

/**
 * PostgreSQL exempts superusers and BYPASSRLS roles from every policy, so row-level security
 * only works when the hub connects as an ordinary role. In production such a role stops the
 * boot (unless `allowRlsBypass`); elsewhere it is a warning. Embedded PGlite always runs as
 * its superuser: the tenant filter is the wall there (one process, usually one tenant).
 */
export async function checkRowLevelSecurity(
  orm: MikroORM,
  target: DatabaseTarget,
  config: CareGraphConfig,
  logger: Logger,
): Promise<void> {
  if (target.kind !== 'postgres') return;
  const { role, bypasses } = await roleBypassesRowLevelSecurity(orm);
  if (!bypasses) return;
  if (config.nodeEnv === 'production' && !config.allowRlsBypass)
    throw DatabaseRoleError.bypassesRowLevelSecurity(role);
  logger.warn(
    { role },
    'the database role bypasses row-level security: only the tenant filter separates tenants',
  );
}
