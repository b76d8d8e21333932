import { loadOrCreateDevSigningKey } from '../auth/dev-signing-key.js';
import { mintDevToken } from '../auth/dev-token.js';
import {
  listActiveUsers,
  pickUser,
  readDevUserDirectory,
  type DevUserEntry,
} from '../auth/dev-user-directory.js';
import type { CareGraphConfig } from '../config/config-schema.js';
import { acquireDataDirLock, readHubLock } from '../db/data-dir-lock.js';
import { createOrm } from '../db/create-orm.js';
import { CareGraphError, ConfigError, ErrorCode } from '../errors/caregraph-error.js';

async function loadUsers(config: CareGraphConfig): Promise<DevUserEntry[]> {
  if (config.databaseUrl) {
    const orm = await createOrm({ kind: 'postgres', url: config.databaseUrl });
    try {
      return await listActiveUsers(orm);
    } finally {
      await orm.close();
    }
  }
  if (await readHubLock(config.dataDir)) return readDevUserDirectory(config.dataDir);
  const lock = await acquireDataDirLock(config.dataDir);
  const orm = await createOrm({ kind: 'pglite', dataDir: config.dataDir });
  try {
    return await listActiveUsers(orm);
  } finally {
    await orm.close();
    await lock.release();
  }
}

/**
 * Mints a dev token for a seeded user, chosen by id or e-mail, or the first user with a role.
 * Works while the hub runs on embedded PGlite (it reads the user directory the hub wrote).
 */
export async function mintTokenForUser(
  config: CareGraphConfig,
  selector: { user?: string; role?: string; ttl?: string },
): Promise<string> {
  if (config.nodeEnv === 'production')
    throw ConfigError.invalid([
      'NODE_ENV=production: dev tokens are disabled; use your identity provider',
    ]);
  if (config.memory)
    throw ConfigError.invalid([
      'CAREGRAPH_MEMORY: an in-memory hub prints its tokens at start; none can be minted from outside',
    ]);
  if (!selector.user && !selector.role)
    throw ConfigError.invalid(['token: give --user <id-or-email> or --role <role>']);
  const users = await loadUsers(config);
  const user = pickUser(users, selector);
  if (!user) {
    const what = selector.user
      ? `No active user "${selector.user}"`
      : `No active user with role "${selector.role}"`;
    throw new CareGraphError(
      ErrorCode.NOT_FOUND,
      `${what}. Run "npx caregraph seed" for the demo clinic.`,
    );
  }
  const key = await loadOrCreateDevSigningKey(config.dataDir);
  return mintDevToken(
    key,
    { userId: user.id, tenantId: user.tenantId },
    selector.ttl ?? config.devTokenTtl,
  );
}
