import { Migration } from '@mikro-orm/migrations';

/**
 * Clinical documents received over MDM (`hl7_clinical_document`): core has no document entity.
 * Tenant-owned, under the row-level security policy; the text column holds ciphertext only
 * (`@Sensitive`, encrypted by core).
 */
export class Migration20261203090000_hl7_clinical_document extends Migration {
  override name = 'Migration20261203090000_hl7_clinical_document';

  override up(): void {
    this.addSql(`create table "hl7_clinical_document" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "type" jsonb not null, "status" varchar(16) not null, "completion_status" varchar(8) null, "confidentiality" varchar(8) null, "document_number" varchar(256) not null, "parent_document_number" varchar(256) null, "activity_at" timestamptz null, "author_id" uuid null, "visit_number" varchar(64) null, "text" text not null, primary key ("id"));`);
    this.addSql(`create index "hl7_clinical_document_tenant_id_index" on "hl7_clinical_document" ("tenant_id");`);
    this.addSql(`create index "hl7_clinical_document_tenant_id_patient_id_index" on "hl7_clinical_document" ("tenant_id", "patient_id");`);
    this.addSql(`alter table "hl7_clinical_document" enable row level security;`);
    this.addSql(`alter table "hl7_clinical_document" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "hl7_clinical_document" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "hl7_clinical_document" cascade;`);
  }
}
