import { Migration } from '@mikro-orm/migrations';

/**
 * The durable queue of planned messages (`engagement_scheduled_message`): unique per tenant and
 * idempotency key, indexed for the dispatcher's due claims, per appointment and per patient;
 * tenant-owned, under the row-level security policy.
 */
export class Migration20261203150100_engagement_scheduled_message extends Migration {
  override name = 'Migration20261203150100_engagement_scheduled_message';

  override up(): void {
    this.addSql(`create table "engagement_scheduled_message" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "idempotency_key" varchar(512) not null, "patient_id" uuid not null, "recipient_type" varchar(32) not null, "recipient_id" uuid not null, "rule_key" varchar(64) not null, "rule_version" int not null, "purpose" text not null, "template_key" varchar(64) not null, "about" varchar(128) null, "trigger" varchar(64) not null, "due_at" timestamptz not null, "expires_at" timestamptz null, "status" text not null default 'scheduled', "channel" text null, "attempts" int not null default 0, "lease_until" timestamptz null, "communication_id" uuid null, "provider_message_id" varchar(256) null, "reason_code" varchar(64) null, "sent_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "engagement_scheduled_message_tenant_id_index" on "engagement_scheduled_message" ("tenant_id");`);
    this.addSql(`create index "engagement_scheduled_message_tenant_id_patient_id_due_at_index" on "engagement_scheduled_message" ("tenant_id", "patient_id", "due_at");`);
    this.addSql(`create index "engagement_scheduled_message_tenant_id_about_index" on "engagement_scheduled_message" ("tenant_id", "about");`);
    this.addSql(`create index "engagement_scheduled_message_tenant_id_status_due_at_index" on "engagement_scheduled_message" ("tenant_id", "status", "due_at");`);
    this.addSql(`alter table "engagement_scheduled_message" add constraint "engagement_scheduled_message_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`);
    this.addSql(`alter table "engagement_scheduled_message" add constraint "engagement_scheduled_message_purpose_check" check ("purpose" in ('TREAT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'ETREAT', 'care-reminders', 'wellness', 'marketing', 'proxy-access'));`);
    this.addSql(`alter table "engagement_scheduled_message" add constraint "engagement_scheduled_message_status_check" check ("status" in ('scheduled', 'deferred', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'replied', 'cancelled', 'skipped'));`);
    this.addSql(`alter table "engagement_scheduled_message" add constraint "engagement_scheduled_message_channel_check" check ("channel" in ('sms', 'email', 'phone', 'in-app', 'letter'));`);
    this.addSql(`alter table "engagement_scheduled_message" enable row level security;`);
    this.addSql(`alter table "engagement_scheduled_message" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "engagement_scheduled_message" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "engagement_scheduled_message" cascade;`);
  }
}
