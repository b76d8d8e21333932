import { Migration } from '@mikro-orm/migrations';

/**
 * The care gaps the sweep raised (`engagement_care_gap`): unique per tenant, patient, gap and
 * period (what makes a sweep idempotent); tenant-owned, under the row-level security policy.
 */
export class Migration20261203190000_engagement_care_gap extends Migration {
  override name = 'Migration20261203190000_engagement_care_gap';

  override up(): void {
    this.addSql(`create table "engagement_care_gap" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "gap_key" varchar(48) not null, "period" varchar(16) not null, "status" varchar(16) not null default 'open', "opened_at" timestamptz not null, "closed_at" timestamptz null, "last_evidence_at" timestamptz null, "task_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "engagement_care_gap_tenant_id_index" on "engagement_care_gap" ("tenant_id");`);
    this.addSql(`create index "engagement_care_gap_tenant_id_gap_key_status_patient_id_index" on "engagement_care_gap" ("tenant_id", "gap_key", "status", "patient_id");`);
    this.addSql(`alter table "engagement_care_gap" add constraint "engagement_care_gap_tenant_id_patient_id_gap_key_period_unique" unique ("tenant_id", "patient_id", "gap_key", "period");`);
    this.addSql(`alter table "engagement_care_gap" enable row level security;`);
    this.addSql(`alter table "engagement_care_gap" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "engagement_care_gap" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "engagement_care_gap" cascade;`);
  }
}
