import { Migration } from '@mikro-orm/migrations';

/**
 * The content library (`engagement_content_item`) and campaigns (`engagement_campaign`);
 * tenant-owned, under the row-level security policy.
 */
export class Migration20261203190100_engagement_campaign extends Migration {
  override name = 'Migration20261203190100_engagement_campaign';

  override up(): void {
    this.addSql(`create table "engagement_content_item" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "purpose" text not null, "translations" jsonb not null, "conditions" jsonb not null, "phi_warnings" jsonb not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "engagement_content_item_tenant_id_index" on "engagement_content_item" ("tenant_id");`);
    this.addSql(`alter table "engagement_content_item" add constraint "engagement_content_item_purpose_check" check ("purpose" in ('TREAT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'ETREAT', 'care-reminders', 'wellness', 'marketing', 'proxy-access'));`);
    this.addSql(`create table "engagement_campaign" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "content_item_id" uuid not null, "audience_filter" jsonb not null, "status" text not null default 'draft', "scheduled_at" timestamptz null, "launched_at" timestamptz null, "planned_count" int null, "created_by_user_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "engagement_campaign_tenant_id_index" on "engagement_campaign" ("tenant_id");`);
    this.addSql(`create index "engagement_campaign_tenant_id_status_index" on "engagement_campaign" ("tenant_id", "status");`);
    this.addSql(`alter table "engagement_campaign" add constraint "engagement_campaign_status_check" check ("status" in ('draft', 'scheduled', 'sent', 'cancelled'));`);
    for (const table of ['engagement_content_item', 'engagement_campaign']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
      this.addSql(`create policy "tenant_isolation" on "${table}" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
    }
  }

  override down(): void {
    this.addSql(`drop table if exists "engagement_campaign" cascade;`);
    this.addSql(`drop table if exists "engagement_content_item" cascade;`);
  }
}
