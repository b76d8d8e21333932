/**
 * Issue 4: a plugin's own table. Its entity joins the ORM, its committed migration runs at boot
 * after core's (recorded as `plugin:<id>:<name>`), and its rows are the tenant's only: the tenant
 * filter (and on PostgreSQL row-level security) hides another tenant's rows from `scope.em`.
 */
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Migration } from '@mikro-orm/migrations';
import { Role } from '@caregraph/schema';
import { definePlugin, PluginErrorCode } from '@caregraph/plugin-sdk';
import { validateConfig } from '../config/load-config.js';
import { withSystemScope } from '../db/tenant-scope.js';
import { createLogger } from '../logging/logger.js';
import { createHub } from '../server/create-hub.js';
import { createTestDatabase } from '../testing/test-database.js';
import { createTestHub, type TestHub } from '../testing/create-test-hub.js';

@Entity({ tableName: 'fixture_note' })
class FixtureNote {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'text' })
  text!: string;
}

const isolation = `tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*'`;

class CreateFixtureNote extends Migration {
  override up(): void {
    this.addSql(
      `create table "fixture_note" ("id" uuid not null primary key, "tenant_id" uuid not null, "text" text not null);`,
    );
    this.addSql(`alter table "fixture_note" enable row level security;`);
    this.addSql(`alter table "fixture_note" force row level security;`);
    this.addSql(
      `create policy "tenant_isolation" on "fixture_note" using (${isolation}) with check (${isolation});`,
    );
  }
}

const notes = definePlugin({
  id: 'notes',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  entities: [FixtureNote],
  migrations: [{ name: 'create_fixture_note', class: CreateFixtureNote }],
  routes: [
    {
      method: 'POST',
      path: '/notes',
      handler: async (request, ctx) => {
        const { tenantId, userId, text } = request.body as Record<string, string>;
        const texts = await ctx.inTenant(
          { tenantId: tenantId!, userId: userId! },
          async (scope) => {
            await scope.write(async (w) => {
              w.em.create(FixtureNote, { tenantId: scope.tenantId, text: text! });
            });
            const rows = await scope.em.fork().find(FixtureNote, {}, { orderBy: { text: 'asc' } });
            return rows.map((row) => row.text);
          },
        );
        return { status: 200, body: { texts } };
      },
    },
  ],
});

let t: TestHub;

beforeAll(async () => {
  t = await createTestHub({ plugins: [notes] });
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

describe('plugin entities and migrations (issue 4)', () => {
  it('runs the plugin migration at boot, recorded under the plugin id', async () => {
    const rows = await withSystemScope(() =>
      t.hub.orm.em
        .getConnection()
        .execute<{ name: string }[]>(
          `select name from caregraph_migrations where name like 'plugin:%'`,
        ),
    );
    expect(rows.map((row) => row.name)).toEqual(['plugin:notes:create_fixture_note']);
  });

  it("writes the plugin's rows in the tenant scope and never shows another tenant's", async () => {
    const otherTenant = randomUUID();
    await withSystemScope(() =>
      t.hub.orm.em
        .getConnection()
        .execute(`insert into fixture_note (id, tenant_id, text) values (?, ?, ?)`, [
          randomUUID(),
          otherTenant,
          'another clinic',
        ]),
    );
    const res = await fetch(`${t.url.replace(/\/graphql$/, '')}/plugins/notes/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantId: t.seed.tenantId,
        userId: t.userIdOf(Role.INTEGRATION),
        text: 'our note',
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ texts: ['our note'] });
  });
});

@Entity({ tableName: 'fixture_untenanted' })
class FixtureUntenanted {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  text!: string;
}

describe('a plugin entity without tenantId (issue 4)', () => {
  it('stops the boot with CG_ERR_PLUGIN_ENTITY_NOT_TENANT_OWNED naming the plugin and the entity', async () => {
    const leaky = definePlugin({
      id: 'leaky',
      version: '1.0.0',
      apiVersion: '^1.0.0',
      entities: [FixtureUntenanted],
    });
    const database = await createTestDatabase();
    try {
      const boot = createHub({
        config: validateConfig({ nodeEnv: 'test', port: 0, memory: true, logLevel: 'silent' }),
        logger: createLogger({ level: 'silent' }),
        database: database.target,
        plugins: [leaky],
      });
      await expect(boot).rejects.toMatchObject({
        code: PluginErrorCode.ENTITY_NOT_TENANT_OWNED,
        details: { pluginId: 'leaky', entity: 'FixtureUntenanted' },
        message: expect.stringMatching(/plugin "leaky".*FixtureUntenanted has no tenantId/),
      });
    } finally {
      await database.dispose();
    }
  });
});
