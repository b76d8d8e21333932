import { ALL_ROLES } from '@caregraph/schema';
import { mintDevToken } from '../auth/dev-token.js';
import { listActiveUsers, pickUser } from '../auth/dev-user-directory.js';
import { pgliteDirectory } from '../db/create-orm.js';
import type { Hub } from '../server/create-hub.js';

/**
 * The text printed when `npm start` is ready: URL, database, the plugins' states, a dev token per
 * role, and the config's `startupNotes`.
 */
export async function startupBanner(hub: Hub, url: string): Promise<string> {
  const { config } = hub;
  const database = config.databaseUrl
    ? 'PostgreSQL (CAREGRAPH_DATABASE_URL)'
    : config.memory
      ? 'embedded PGlite, in memory (nothing is kept)'
      : `embedded PGlite in ${pgliteDirectory(config.dataDir)}`;
  const lines = [
    '',
    'CareGraph hub is ready',
    `  GraphQL (HTTP and WebSocket subscriptions): ${url}`,
    `  Database: ${database}`,
    `  Health: ${url.replace(/\/graphql$/, '/health')}   Ready: ${url.replace(/\/graphql$/, '/ready')}`,
  ];
  for (const plugin of await hub.plugins.health())
    lines.push(
      `  Plugin ${plugin.id}: ${plugin.state}${plugin.message ? ` (${plugin.message})` : ''}`,
    );
  if (hub.devSigningKey) {
    const users = await listActiveUsers(hub.orm);
    lines.push(
      '',
      `Dev tokens, valid ${config.devTokenTtl} (header "Authorization: Bearer <token>"):`,
    );
    for (const role of ALL_ROLES) {
      const user = pickUser(users, { role });
      if (!user) continue;
      const token = await mintDevToken(
        hub.devSigningKey,
        { userId: user.id, tenantId: user.tenantId },
        config.devTokenTtl,
      );
      lines.push('', `  ${role} — ${user.displayName} <${user.email}>`, `  ${token}`);
    }
    lines.push(
      '',
      'More: npx caregraph token --role nurse   |   npx caregraph token --user <id-or-email> --ttl 1h',
    );
  }
  if (config.startupNotes.length) lines.push('', ...config.startupNotes);
  return lines.join('\n');
}
