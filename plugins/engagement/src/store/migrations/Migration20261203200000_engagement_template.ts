import { Migration } from '@mikro-orm/migrations';

/**
 * The tenant's message templates (`engagement_template`), one row per version, unique per tenant,
 * key, channel, language and version; tenant-owned, under the row-level security policy.
 */
export class Migration20261203200000_engagement_template extends Migration {
  override name = 'Migration20261203200000_engagement_template';

  override up(): void {
    this.addSql(`create table "engagement_template" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "key" varchar(64) not null, "channel" varchar(16) not null, "language" varchar(35) not null, "version" int not null, "purpose" varchar(32) not null, "subject" text null, "text" text not null, "html" text null, "created_by_user_id" uuid null, "superseded_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "engagement_template_tenant_id_index" on "engagement_template" ("tenant_id");`);
    this.addSql(`alter table "engagement_template" add constraint "engagement_template_version_unique" unique ("tenant_id", "key", "channel", "language", "version");`);
    this.addSql(`alter table "engagement_template" enable row level security;`);
    this.addSql(`alter table "engagement_template" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "engagement_template" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "engagement_template" cascade;`);
  }
}
