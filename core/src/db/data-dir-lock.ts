import { rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseLockedError } from '../errors/caregraph-error.js';

/** What the running hub writes into the data directory for other local processes. */
export interface HubLockInfo {
  pid: number;
  startedAt: string;
  url?: string;
}

function lockFile(dataDir: string): string {
  return join(dataDir, 'hub.lock');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process holding the embedded database, if any (stale locks are ignored). */
export async function readHubLock(dataDir: string): Promise<HubLockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(lockFile(dataDir), 'utf8')) as HubLockInfo;
    return info.pid !== process.pid && isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the embedded database for this process. PGlite has one connection and no
 * cross-process locking, so a second process opening the same directory would corrupt it.
 */
export async function acquireDataDirLock(
  dataDir: string,
): Promise<{ update(info: Partial<HubLockInfo>): Promise<void>; release(): Promise<void> }> {
  const holder = await readHubLock(dataDir);
  if (holder) throw DatabaseLockedError.heldBy(holder.pid, dataDir);
  await mkdir(dataDir, { recursive: true });
  let info: HubLockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  await writeFile(lockFile(dataDir), JSON.stringify(info), { mode: 0o600 });
  // PGlite's runtime can end the process on a signal before our async shutdown finishes.
  const releaseOnExit = () => rmSync(lockFile(dataDir), { force: true });
  process.once('exit', releaseOnExit);
  return {
    async update(extra) {
      info = { ...info, ...extra };
      await writeFile(lockFile(dataDir), JSON.stringify(info), { mode: 0o600 });
    },
    async release() {
      process.removeListener('exit', releaseOnExit);
      await rm(lockFile(dataDir), { force: true });
    },
  };
}
