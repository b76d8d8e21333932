import { readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createOrm, migrateDatabase } from './create-orm.js';

/** Source folder of the committed migrations (this tool is for CareGraph developers). */
export const MIGRATIONS_SOURCE_DIR = fileURLToPath(
  new URL('../../src/db/migrations', import.meta.url),
);

async function writeMigrationIndex(dir: string): Promise<void> {
  const files = (await readdir(dir)).filter((f) => /^Migration\d+.*\.ts$/.test(f)).sort();
  const names = files.map((f) => f.replace(/\.ts$/, ''));
  const imports = names.map((n) => `import { ${toIdentifier(n)} } from './${n}.js';`);
  const entries = names.map((n) => `  { name: '${n}', class: ${toIdentifier(n)} },`);
  await writeFile(
    `${dir}/index.ts`,
    [
      "import type { MigrationObject } from '@mikro-orm/core';",
      ...imports,
      '',
      '/** Committed migrations, oldest first. Add new ones with `caregraph migration:create <name>`. */',
      'export const MIGRATIONS: MigrationObject[] = [',
      ...entries,
      '];',
      '',
    ].join('\n'),
  );
}

function toIdentifier(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}

/**
 * Generates a migration with the difference between the committed migrations and the entities,
 * writes it to the source folder and refreshes the migration index. Returns the file name, or
 * undefined when the entities need no change.
 */
export async function createMigration(name: string): Promise<string | undefined> {
  const orm = await createOrm({ kind: 'pglite-memory' });
  try {
    await migrateDatabase(orm);
    const result = await orm.migrator.create(MIGRATIONS_SOURCE_DIR, false, false, name);
    if (!result.fileName) return undefined;
    await writeMigrationIndex(MIGRATIONS_SOURCE_DIR);
    return result.fileName;
  } finally {
    await orm.close();
  }
}
