import { Migration } from '@mikro-orm/migrations';

/**
 * The tenant's automations (`engagement_rule`), one row per version, unique per tenant, key and
 * version; tenant-owned, under the row-level security policy.
 */
export class Migration20261203150000_engagement_rule extends Migration {
  override name = 'Migration20261203150000_engagement_rule';

  override up(): void {
    this.addSql(`create table "engagement_rule" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "key" varchar(64) not null, "version" int not null, "kind" text not null, "active" boolean not null default true, "definition" jsonb not null, "created_by_user_id" uuid null, "superseded_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "engagement_rule_tenant_id_index" on "engagement_rule" ("tenant_id");`);
    this.addSql(`alter table "engagement_rule" add constraint "engagement_rule_tenant_id_key_version_unique" unique ("tenant_id", "key", "version");`);
    this.addSql(`alter table "engagement_rule" add constraint "engagement_rule_kind_check" check ("kind" in ('appointment-reminder', 'confirmation-request', 'no-show-follow-up', 'post-visit-follow-up', 'lab-result-available', 'refill-due', 'adherence-check-in', 'care-gap', 'care-plan-update', 'campaign'));`);
    this.addSql(`alter table "engagement_rule" enable row level security;`);
    this.addSql(`alter table "engagement_rule" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "engagement_rule" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "engagement_rule" cascade;`);
  }
}
