import { createHash } from 'node:crypto';
import { createOrm, Keyring, LocalKeyProvider } from '@caregraph/core';

/**
 * The master key of a bench database: derived from its name (the data is synthetic), so the
 * generator, every hub target and the baseline server share it without a key file.
 */
export function benchKeyProvider(databaseUrl: string): LocalKeyProvider {
  const name = new URL(databaseUrl).pathname.replace(/^\//, '');
  return new LocalKeyProvider(createHash('sha256').update(`caregraph-bench:${name}`).digest());
}

/** The bench database's tenant keys, unwrapped (for the baseline server's identifier values). */
export async function loadBenchKeyring(databaseUrl: string): Promise<Keyring> {
  const keyring = new Keyring(benchKeyProvider(databaseUrl));
  const orm = await createOrm({ kind: 'postgres', url: databaseUrl }, { keyring });
  try {
    await keyring.loadAll(orm.em.fork());
  } finally {
    await orm.close();
  }
  return keyring;
}
