import { Migration } from '@mikro-orm/migrations';

/**
 * Durable plugin event subscriptions (`core/src/plugins/plugin-event-subscription.ts`): one
 * cursor per plugin, tenant and subscription name, with the lease of the instance driving it;
 * tenant-owned, under the row-level security policy.
 */
export class Migration20261201152846_plugin_event_cursor extends Migration {

  override name = 'Migration20261201152846_plugin_event_cursor';

  override up(): void | Promise<void> {
    this.addSql(`create table "plugin_event_cursor" ("tenant_id" uuid not null, "plugin_id" varchar(100) not null, "name" varchar(100) not null, "position" bigint not null, "lease_owner" varchar(64) null, "lease_until" timestamptz null, "updated_at" timestamptz not null, primary key ("tenant_id", "plugin_id", "name"));`);

    this.addSql(`alter table "plugin_event_cursor" enable row level security;`);
    this.addSql(`alter table "plugin_event_cursor" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "plugin_event_cursor" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "plugin_event_cursor" cascade;`);
  }

}
