import { Migration } from '@mikro-orm/migrations';

/**
 * The HL7 v2 message store (`hl7_message`): every inbound message, its outcome and its ACK.
 * Originals are unique per tenant, sender, control id and content hash (duplicates are recognised); keyset
 * indexes per list filter; tenant-owned, under the row-level security policy.
 */
export class Migration20261203080000_hl7_message extends Migration {
  override name = 'Migration20261203080000_hl7_message';

  override up(): void {
    this.addSql(`create table "hl7_message" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "channel" varchar(32) not null, "sender" varchar(512) not null, "control_id" varchar(199) null, "message_type" varchar(32) null, "version" varchar(16) null, "content_hash" varchar(64) not null, "raw" text not null, "status" text not null, "original" boolean not null default true, "duplicate_of" uuid null, "received_at" timestamptz not null, "processed_at" timestamptz null, "attempts" int not null default 0, "error_code" varchar(64) null, "error_text" text null, "error_location" varchar(32) null, "ack_code" varchar(2) null, "ack" text null, "mapping_version" varchar(32) null, "patient_key_index" varchar(64) null, "patient_id" uuid null, "records" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "hl7_message_tenant_id_index" on "hl7_message" ("tenant_id");`);
    this.addSql(`create index "hl7_message_tenant_id_patient_key_index_received_at_index" on "hl7_message" ("tenant_id", "patient_key_index", "received_at");`);
    this.addSql(`create index "hl7_message_tenant_id_control_id_index" on "hl7_message" ("tenant_id", "control_id");`);
    this.addSql(`create index "hl7_message_tenant_id_sender_received_at_id_index" on "hl7_message" ("tenant_id", "sender", "received_at", "id");`);
    this.addSql(`create index "hl7_message_tenant_id_message_type_received_at_id_index" on "hl7_message" ("tenant_id", "message_type", "received_at", "id");`);
    this.addSql(`create index "hl7_message_tenant_id_status_received_at_id_index" on "hl7_message" ("tenant_id", "status", "received_at", "id");`);
    this.addSql(`create index "hl7_message_tenant_id_received_at_id_index" on "hl7_message" ("tenant_id", "received_at", "id");`);
    this.addSql(`alter table "hl7_message" add constraint "hl7_message_status_check" check ("status" in ('received', 'processed', 'error', 'duplicate', 'not_mapped', 'ignored', 'held'));`);
    this.addSql(`create unique index "hl7_message_original_key" on "hl7_message" ("tenant_id", "sender", "control_id", "content_hash") where "original" and "control_id" is not null;`);
    this.addSql(`alter table "hl7_message" enable row level security;`);
    this.addSql(`alter table "hl7_message" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "hl7_message" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "hl7_message" cascade;`);
  }
}
