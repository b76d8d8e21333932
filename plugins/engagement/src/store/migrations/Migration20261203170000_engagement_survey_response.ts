import { Migration } from '@mikro-orm/migrations';

/**
 * Post-visit survey answers (`engagement_survey_response`): a score and an encrypted comment per
 * patient, at most one per appointment, paged per patient newest first; tenant-owned, under the
 * row-level security policy.
 */
export class Migration20261203170000_engagement_survey_response extends Migration {
  override name = 'Migration20261203170000_engagement_survey_response';

  override up(): void {
    this.addSql(`create table "engagement_survey_response" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "appointment_id" uuid null, "scheduled_message_id" uuid null, "respondent_type" varchar(32) null, "respondent_id" uuid null, "score" smallint not null, "comment" text null, "channel" text not null, "entered_by_user_id" uuid null, "received_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "engagement_survey_response_tenant_id_index" on "engagement_survey_response" ("tenant_id");`);
    this.addSql(`create index "engagement_survey_response_tenant_id_patient_id_received_at_index" on "engagement_survey_response" ("tenant_id", "patient_id", "received_at");`);
    this.addSql(`alter table "engagement_survey_response" add constraint "engagement_survey_response_tenant_id_appointment_id_unique" unique ("tenant_id", "appointment_id");`);
    this.addSql(`alter table "engagement_survey_response" add constraint "engagement_survey_response_score_check" check ("score" between 0 and 10);`);
    this.addSql(`alter table "engagement_survey_response" add constraint "engagement_survey_response_channel_check" check ("channel" in ('sms', 'email', 'phone', 'in-app', 'letter'));`);
    this.addSql(`alter table "engagement_survey_response" enable row level security;`);
    this.addSql(`alter table "engagement_survey_response" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "engagement_survey_response" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "engagement_survey_response" cascade;`);
  }
}
