import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox (`core/src/events/outbox.ts`): `outbox_event` rows written with each
 * change, ordered per tenant by `position` (allocated under the `outbox_head` row lock), both
 * tenant-owned and under the row-level security policy.
 */
export class Migration20261201132125_outbox extends Migration {

  override name = 'Migration20261201132125_outbox';

  override up(): void | Promise<void> {
    this.addSql(`create table "outbox_event" ("id" uuid not null, "tenant_id" uuid not null, "position" bigint not null, "type" varchar(255) not null, "patient_id" uuid not null, "payload" jsonb not null, "created_at" timestamptz not null, "published_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "outbox_event_tenant_id_created_at_index" on "outbox_event" ("tenant_id", "created_at");`);
    this.addSql(`create index "outbox_event_tenant_id_published_at_position_index" on "outbox_event" ("tenant_id", "published_at", "position");`);
    this.addSql(`alter table "outbox_event" add constraint "outbox_event_tenant_id_position_unique" unique ("tenant_id", "position");`);

    this.addSql(`create table "outbox_head" ("tenant_id" uuid not null, "position" bigint not null, primary key ("tenant_id"));`);

    this.addSql(`alter table "outbox_event" enable row level security;`);
    this.addSql(`alter table "outbox_event" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "outbox_event" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "outbox_head" enable row level security;`);
    this.addSql(`alter table "outbox_head" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "outbox_head" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "outbox_event" cascade;`);
    this.addSql(`drop table if exists "outbox_head" cascade;`);
  }

}
