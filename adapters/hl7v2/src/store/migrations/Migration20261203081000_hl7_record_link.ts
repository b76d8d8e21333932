import { Migration } from '@mikro-orm/migrations';

/**
 * How senders name CareGraph records (`hl7_record_link`): practitioner ids, appointment filler
 * ids, problem and document numbers; unique per tenant, kind, namespace and id; tenant-owned,
 * under the row-level security policy.
 */
export class Migration20261203081000_hl7_record_link extends Migration {
  override name = 'Migration20261203081000_hl7_record_link';

  override up(): void {
    this.addSql(`create table "hl7_record_link" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" varchar(32) not null, "system" varchar(512) not null, "external_id" varchar(256) not null, "record_type" varchar(64) not null, "record_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "hl7_record_link_tenant_id_index" on "hl7_record_link" ("tenant_id");`);
    this.addSql(`alter table "hl7_record_link" add constraint "hl7_record_link_tenant_id_kind_system_external_id_unique" unique ("tenant_id", "kind", "system", "external_id");`);
    this.addSql(`alter table "hl7_record_link" enable row level security;`);
    this.addSql(`alter table "hl7_record_link" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "hl7_record_link" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "hl7_record_link" cascade;`);
  }
}
