import { readFile, writeFile } from 'node:fs/promises';
import { createOrm, migrateDatabase } from '../db/create-orm.js';

/**
 * Where the test run's migrated PGlite image is (set by the Jest global setup,
 * `test/setup/pglite-image.mjs`); without it every suite migrates its own empty cluster.
 */
export const PGLITE_IMAGE_ENV = 'CAREGRAPH_TEST_PGLITE_IMAGE';

/**
 * Migrates an empty in-memory PGlite cluster with core's committed migrations and writes its
 * data directory to `file`. Starting a suite's database from it costs about what starting an
 * empty cluster does, instead of running every migration again (seconds per hub).
 */
export async function writePgliteImage(file: string): Promise<void> {
  const orm = await createOrm({ kind: 'pglite-memory' });
  try {
    await migrateDatabase(orm);
    const connection = orm.em.getConnection() as unknown as {
      getNativeClient(): Promise<{ dumpDataDir(compression: 'none'): Promise<Blob> }>;
    };
    const pglite = await connection.getNativeClient();
    const image = await pglite.dumpDataDir('none');
    await writeFile(file, Buffer.from(await image.arrayBuffer()));
  } finally {
    await orm.close();
  }
}

/** The run's migrated image, when the global setup made one. */
export async function readPgliteImage(): Promise<Blob | undefined> {
  const file = process.env[PGLITE_IMAGE_ENV];
  return file ? new Blob([await readFile(file)]) : undefined;
}
