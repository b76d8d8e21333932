import { Migration } from '@mikro-orm/migrations';

/**
 * Reading documents over GraphQL: `listed_at` (the activity time TXA-4/TXA-6, else when the
 * document was first stored) orders a patient's documents newest first under one keyset index,
 * and `source_message_id` names the stored message that last wrote the document. Existing rows
 * are backfilled: `listed_at` from those times, `source_message_id` from the newest processed
 * message that lists the document among its records.
 */
export class Migration20261203100000_hl7_clinical_document_read extends Migration {
  override name = 'Migration20261203100000_hl7_clinical_document_read';

  override up(): void {
    this.addSql(`alter table "hl7_clinical_document" add column "listed_at" timestamptz null, add column "source_message_id" uuid null;`);
    this.addSql(`update "hl7_clinical_document" set "listed_at" = coalesce("activity_at", "created_at");`);
    this.addSql(`update "hl7_clinical_document" d set "source_message_id" = (select m."id" from "hl7_message" m where m."tenant_id" = d."tenant_id" and m."status" = 'processed' and m."records" @> jsonb_build_array('ClinicalDocument/' || d."id"::text) order by m."received_at" desc, m."id" desc limit 1);`);
    this.addSql(`alter table "hl7_clinical_document" alter column "listed_at" set not null;`);
    this.addSql(`drop index "hl7_clinical_document_tenant_id_patient_id_index";`);
    this.addSql(`create index "hl7_clinical_document_tenant_id_patient_id_listed_at_id_index" on "hl7_clinical_document" ("tenant_id", "patient_id", "listed_at", "id");`);
  }

  override down(): void {
    this.addSql(`drop index "hl7_clinical_document_tenant_id_patient_id_listed_at_id_index";`);
    this.addSql(`create index "hl7_clinical_document_tenant_id_patient_id_index" on "hl7_clinical_document" ("tenant_id", "patient_id");`);
    this.addSql(`alter table "hl7_clinical_document" drop column "listed_at", drop column "source_message_id";`);
  }
}
