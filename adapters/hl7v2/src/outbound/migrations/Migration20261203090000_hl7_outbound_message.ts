import { Migration } from '@mikro-orm/migrations';

/**
 * The outbound queue (`hl7_outbound_message`): HL7 messages to downstream systems, their status
 * and ACKs. One message per destination and source event; tenant-owned, under the row-level
 * security policy.
 */
export class Migration20261203090000_hl7_outbound_message extends Migration {
  override name = 'Migration20261203090000_hl7_outbound_message';

  override up(): void {
    this.addSql(`create table "hl7_outbound_message" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "destination" varchar(64) not null, "control_id" varchar(199) not null, "message_type" varchar(32) not null, "text" text not null, "status" text not null default 'queued', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "sent_at" timestamptz null, "ack_at" timestamptz null, "last_error_code" varchar(64) null, "last_error_text" text null, "ack_code" varchar(2) null, "ack_text" text null, "source_event_id" uuid not null, "source_event_type" varchar(64) not null, "event_position" bigint null, "patient_id" uuid not null, "record" varchar(128) not null, primary key ("id"));`);
    this.addSql(`create index "hl7_outbound_message_tenant_id_index" on "hl7_outbound_message" ("tenant_id");`);
    this.addSql(`create index "hl7_outbound_message_tenant_id_created_at_id_index" on "hl7_outbound_message" ("tenant_id", "created_at", "id");`);
    this.addSql(`create index "hl7_outbound_message_tenant_id_status_created_at_id_index" on "hl7_outbound_message" ("tenant_id", "status", "created_at", "id");`);
    this.addSql(`create index "hl7_outbound_message_tenant_id_destination_record_index" on "hl7_outbound_message" ("tenant_id", "destination", "record");`);
    this.addSql(`create index "hl7_outbound_message_tenant_id_destination_created_at_id_index" on "hl7_outbound_message" ("tenant_id", "destination", "created_at", "id");`);
    this.addSql(`create index "hl7_outbound_message_tenant_id_destination_status__9d0db_index" on "hl7_outbound_message" ("tenant_id", "destination", "status", "created_at");`);
    this.addSql(`alter table "hl7_outbound_message" add constraint "hl7_outbound_message_tenant_id_destination_source_46732_unique" unique ("tenant_id", "destination", "source_event_id");`);
    this.addSql(`alter table "hl7_outbound_message" add constraint "hl7_outbound_message_status_check" check ("status" in ('queued', 'sent', 'acknowledged', 'error'));`);
    this.addSql(`alter table "hl7_outbound_message" enable row level security;`);
    this.addSql(`alter table "hl7_outbound_message" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "hl7_outbound_message" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "hl7_outbound_message" cascade;`);
  }
}
