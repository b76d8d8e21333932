import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/sql';
import { Role, User } from '@caregraph/schema';
import { withSystemScope } from '../db/tenant-scope.js';

/** A user as listed for `caregraph token` while the hub holds the embedded database. */
export interface DevUserEntry {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  roles: Role[];
  createdAt: string;
}

function directoryFile(dataDir: string): string {
  return join(dataDir, 'dev-users.json');
}

/** Lists active users, oldest first (so "the first user with a role" is stable). */
export async function listActiveUsers(orm: MikroORM): Promise<DevUserEntry[]> {
  return withSystemScope(async () => {
    const users = await orm.em
      .fork({ clear: true })
      .find(
        User,
        { active: true },
        { filters: false, orderBy: { createdAt: 'asc', email: 'asc' } },
      );
    return users.map((u) => ({
      id: u.id,
      tenantId: u.tenantId,
      email: u.email,
      displayName: u.displayName,
      roles: [...u.roles],
      createdAt: u.createdAt.toISOString(),
    }));
  });
}

/**
 * Writes the user directory into the data directory (mode 0600). The embedded database can
 * be open in one process only, so `caregraph token` reads this file while the hub runs.
 */
export async function writeDevUserDirectory(orm: MikroORM, dataDir: string): Promise<void> {
  await writeFile(directoryFile(dataDir), JSON.stringify(await listActiveUsers(orm), null, 2), {
    mode: 0o600,
  });
}

/** Reads the directory the running hub wrote. */
export async function readDevUserDirectory(dataDir: string): Promise<DevUserEntry[]> {
  return JSON.parse(await readFile(directoryFile(dataDir), 'utf8')) as DevUserEntry[];
}

/** Picks a user by id or e-mail, or the first one with a role. */
export function pickUser(
  users: DevUserEntry[],
  selector: { user?: string; role?: string },
): DevUserEntry | undefined {
  if (selector.user) {
    const wanted = selector.user.toLowerCase();
    return users.find((u) => u.id === selector.user || u.email.toLowerCase() === wanted);
  }
  return users.find((u) => u.roles.includes(selector.role as Role));
}
