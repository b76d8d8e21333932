import { createTestDatabase } from '../testing/test-database.js';
import { createOrm, migrateDatabase } from './create-orm.js';
import { MIGRATIONS } from './migrations/index.js';

describe('committed migrations', () => {
  it('build exactly the schema the entities describe (run "caregraph migration:create" after changing entities)', async () => {
    const database = await createTestDatabase({ empty: true });
    const orm = await createOrm(database.target);
    try {
      const applied = await migrateDatabase(orm);
      expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
      expect(await migrateDatabase(orm)).toEqual([]);
    } finally {
      await orm.close();
      await database.dispose();
    }
  });
});
