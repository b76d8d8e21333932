import { Migration } from '@mikro-orm/migrations';

export class Migration20261124063943_initial extends Migration {

  override name = 'Migration20261124063943_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_event" ("id" uuid not null, "tenant_id" uuid not null, "recorded_at" timestamptz not null, "action" varchar(1) not null, "type" varchar(255) not null, "outcome" varchar(255) not null default '0', "actor_user_id" uuid null, "actor_roles" jsonb not null, "purpose_of_use" varchar(255) null, "patient_id" uuid null, "entity" varchar(255) null, "request_id" varchar(255) null, "client_address" varchar(255) null, "detail" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "audit_event_tenant_id_actor_user_id_recorded_at_index" on "audit_event" ("tenant_id", "actor_user_id", "recorded_at");`);
    this.addSql(`create index "audit_event_tenant_id_patient_id_recorded_at_index" on "audit_event" ("tenant_id", "patient_id", "recorded_at");`);
    this.addSql(`create index "audit_event_tenant_id_recorded_at_index" on "audit_event" ("tenant_id", "recorded_at");`);

    this.addSql(`create table "care_team" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(255) not null, "status" text not null default 'active', "category" jsonb null, "description" text null, primary key ("id"));`);
    this.addSql(`create index "care_team_tenant_id_index" on "care_team" ("tenant_id");`);

    this.addSql(`create table "patient" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "active" boolean not null default true, "names" jsonb not null, "family_search" text not null default '', "given_search" text not null default '', "gender" text null, "birth_date" date null, "deceased" boolean not null default false, "deceased_at" timestamptz null, "telecom" jsonb not null, "address" jsonb not null, "preferred_language" varchar(255) null, "time_zone" varchar(255) null, "replaced_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "patient_tenant_id_index" on "patient" ("tenant_id");`);
    this.addSql(`create index "patient_given_search_idx" on "patient" ("tenant_id", "given_search" text_pattern_ops);`);
    this.addSql(`create index "patient_family_search_idx" on "patient" ("tenant_id", "family_search" text_pattern_ops);`);
    this.addSql(`create index "patient_tenant_id_birth_date_index" on "patient" ("tenant_id", "birth_date");`);

    this.addSql(`create table "medication_statement" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "medication" jsonb not null, "status" text not null, "dosage_text" text null, "effective_start" timestamptz null, "effective_end" timestamptz null, "note" text null, primary key ("id"));`);
    this.addSql(`create index "medication_statement_tenant_id_index" on "medication_statement" ("tenant_id");`);
    this.addSql(`create index "medication_statement_patient_id_index" on "medication_statement" ("patient_id");`);

    this.addSql(`create table "immunization" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "vaccine_code" jsonb not null, "status" text not null default 'completed', "occurrence_at" timestamptz not null, "lot_number" varchar(255) null, "site" varchar(255) null, "route" varchar(255) null, "dose_number" int null, primary key ("id"));`);
    this.addSql(`create index "immunization_tenant_id_index" on "immunization" ("tenant_id");`);
    this.addSql(`create index "immunization_patient_id_index" on "immunization" ("patient_id");`);

    this.addSql(`create table "coverage" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "status" text not null default 'active', "type" jsonb null, "payor" varchar(255) not null, "plan_name" varchar(255) null, "member_id" varchar(255) null, "group_number" varchar(255) null, "relationship" varchar(255) not null default 'self', "period_start" date null, "period_end" date null, primary key ("id"));`);
    this.addSql(`create index "coverage_tenant_id_index" on "coverage" ("tenant_id");`);
    this.addSql(`create index "coverage_patient_id_index" on "coverage" ("patient_id");`);

    this.addSql(`create table "condition" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "code" jsonb not null, "clinical_status" text not null, "verification_status" text not null default 'confirmed', "category" varchar(255) not null default 'problem-list-item', "severity" varchar(255) null, "onset_date" date null, "abatement_date" date null, "recorded_at" timestamptz not null, "note" text null, "security_labels" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "condition_tenant_id_index" on "condition" ("tenant_id");`);
    this.addSql(`create index "condition_patient_id_index" on "condition" ("patient_id");`);

    this.addSql(`create table "care_team_patient" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "care_team_id" uuid not null, "period_start" timestamptz not null, "period_end" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "care_team_patient_tenant_id_index" on "care_team_patient" ("tenant_id");`);
    this.addSql(`create index "care_team_patient_patient_id_index" on "care_team_patient" ("patient_id");`);
    this.addSql(`create index "care_team_patient_care_team_id_patient_id_index" on "care_team_patient" ("care_team_id", "patient_id");`);

    this.addSql(`create table "allergy_intolerance" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "code" jsonb not null, "clinical_status" text not null default 'active', "verification_status" text not null default 'confirmed', "type" varchar(255) not null default 'allergy', "category" varchar(255) not null, "criticality" text null, "reaction" text null, "onset_date" date null, "recorded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "allergy_intolerance_tenant_id_index" on "allergy_intolerance" ("tenant_id");`);
    this.addSql(`create index "allergy_intolerance_patient_id_index" on "allergy_intolerance" ("patient_id");`);

    this.addSql(`create table "patient_identifier" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "system" varchar(255) not null, "value" varchar(255) not null, "type" varchar(255) null, "assigner" varchar(255) null, "use" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "patient_identifier_tenant_id_index" on "patient_identifier" ("tenant_id");`);
    this.addSql(`create index "patient_identifier_patient_id_index" on "patient_identifier" ("patient_id");`);
    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_tenant_id_system_value_unique" unique ("tenant_id", "system", "value");`);

    this.addSql(`create table "practitioner" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "active" boolean not null default true, "name" jsonb not null, "npi" varchar(255) null, "specialty" jsonb null, "telecom" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "practitioner_tenant_id_index" on "practitioner" ("tenant_id");`);

    this.addSql(`create table "medication_request" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "medication" jsonb not null, "status" text not null, "intent" varchar(255) not null default 'order', "dosage_text" text null, "quantity" double precision null, "days_supply" int null, "refills_allowed" int null, "authored_on" timestamptz not null, "requester_id" uuid null, "security_labels" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "medication_request_tenant_id_index" on "medication_request" ("tenant_id");`);
    this.addSql(`create index "medication_request_patient_id_index" on "medication_request" ("patient_id");`);

    this.addSql(`create table "encounter" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "status" text not null, "class" text not null, "type" jsonb null, "period_start" timestamptz not null, "period_end" timestamptz null, "location" varchar(255) null, "attending_id" uuid null, "reason" text null, "visit_number" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "encounter_tenant_id_index" on "encounter" ("tenant_id");`);
    this.addSql(`create index "encounter_patient_id_index" on "encounter" ("patient_id");`);
    this.addSql(`create index "encounter_patient_id_period_start_index" on "encounter" ("patient_id", "period_start");`);

    this.addSql(`create table "observation" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "encounter_id" uuid null, "status" text not null, "category" text not null, "code" jsonb not null, "value_quantity" double precision null, "unit" varchar(255) null, "value_string" text null, "value_code" jsonb null, "reference_range_low" double precision null, "reference_range_high" double precision null, "reference_range_text" varchar(255) null, "interpretation" varchar(255) null, "effective_at" timestamptz not null, "issued_at" timestamptz null, "released_to_patient" boolean not null default false, "note" text null, "security_labels" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "observation_tenant_id_index" on "observation" ("tenant_id");`);
    this.addSql(`create index "observation_patient_id_index" on "observation" ("patient_id");`);
    this.addSql(`create index "observation_patient_id_effective_at_index" on "observation" ("patient_id", "effective_at");`);

    this.addSql(`create table "care_team_member" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "care_team_id" uuid not null, "practitioner_id" uuid not null, "role" jsonb not null, "period_start" timestamptz not null, "period_end" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "care_team_member_tenant_id_index" on "care_team_member" ("tenant_id");`);
    this.addSql(`create index "care_team_member_care_team_id_index" on "care_team_member" ("care_team_id");`);
    this.addSql(`create index "care_team_member_practitioner_id_care_team_id_index" on "care_team_member" ("practitioner_id", "care_team_id");`);

    this.addSql(`create table "care_plan" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "title" varchar(255) not null, "description" text null, "status" text not null default 'active', "intent" varchar(255) not null default 'plan', "category" jsonb null, "period_start" timestamptz null, "period_end" timestamptz null, "author_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "care_plan_tenant_id_index" on "care_plan" ("tenant_id");`);
    this.addSql(`create index "care_plan_patient_id_index" on "care_plan" ("patient_id");`);

    this.addSql(`create table "care_plan_goal" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "care_plan_id" uuid not null, "description" text not null, "lifecycle_status" text not null default 'active', "target" varchar(255) null, "due_date" date null, "achievement_status" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "care_plan_goal_tenant_id_index" on "care_plan_goal" ("tenant_id");`);
    this.addSql(`create index "care_plan_goal_care_plan_id_index" on "care_plan_goal" ("care_plan_id");`);

    this.addSql(`create table "care_plan_activity" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "care_plan_id" uuid not null, "description" text not null, "status" text not null default 'not-started', "scheduled_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "care_plan_activity_tenant_id_index" on "care_plan_activity" ("tenant_id");`);
    this.addSql(`create index "care_plan_activity_care_plan_id_index" on "care_plan_activity" ("care_plan_id");`);

    this.addSql(`create table "appointment" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "status" text not null default 'booked', "practitioner_id" uuid null, "start" timestamptz not null, "end" timestamptz not null, "service_type" jsonb null, "location" varchar(255) null, "telehealth_url" varchar(255) null, "description" text null, "participants" jsonb not null, "cancellation_reason" text null, "cancelled_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "appointment_tenant_id_index" on "appointment" ("tenant_id");`);
    this.addSql(`create index "appointment_patient_id_index" on "appointment" ("patient_id");`);
    this.addSql(`create index "appointment_tenant_id_start_index" on "appointment" ("tenant_id", "start");`);
    this.addSql(`create index "appointment_practitioner_id_start_index" on "appointment" ("practitioner_id", "start");`);
    this.addSql(`create index "appointment_patient_id_start_index" on "appointment" ("patient_id", "start");`);

    this.addSql(`create table "provenance" ("id" uuid not null, "tenant_id" uuid not null, "target" varchar(255) not null, "recorded_at" timestamptz not null, "activity" varchar(255) not null, "agent_type" varchar(255) not null, "agent_id" varchar(255) not null, "source_system" varchar(255) null, "source_message_id" varchar(255) null, "reason" text null, primary key ("id"));`);
    this.addSql(`create index "provenance_tenant_id_target_index" on "provenance" ("tenant_id", "target");`);

    this.addSql(`create table "related_person" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "active" boolean not null default true, "relationship" varchar(255) not null, "name" jsonb not null, "telecom" jsonb not null, "address" jsonb not null, "period_start" timestamptz null, "period_end" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "related_person_tenant_id_index" on "related_person" ("tenant_id");`);
    this.addSql(`create index "related_person_patient_id_index" on "related_person" ("patient_id");`);

    this.addSql(`create table "consent" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "scope" text not null, "status" text not null default 'active', "decision" text not null default 'permit', "purpose" text not null, "channel" text null, "grantee_id" uuid null, "period_start" timestamptz not null, "period_end" timestamptz null, "source" varchar(255) not null, "recorded_by_user_id" uuid null, "revoked_at" timestamptz null, "revocation_reason" text null, primary key ("id"));`);
    this.addSql(`create index "consent_tenant_id_index" on "consent" ("tenant_id");`);
    this.addSql(`create index "consent_patient_id_index" on "consent" ("patient_id");`);

    this.addSql(`create table "communication" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "channel" text not null, "direction" text not null default 'outbound', "status" text not null, "category" varchar(255) not null, "subject" varchar(255) null, "body" text null, "occurred_at" timestamptz not null, "related_person_id" uuid null, "about" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "communication_tenant_id_index" on "communication" ("tenant_id");`);
    this.addSql(`create index "communication_patient_id_index" on "communication" ("patient_id");`);
    this.addSql(`create index "communication_patient_id_occurred_at_index" on "communication" ("patient_id", "occurred_at");`);

    this.addSql(`create table "task" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "title" varchar(255) not null, "description" text null, "status" text not null default 'requested', "priority" text not null default 'routine', "due_at" timestamptz null, "authored_on" timestamptz not null, "completed_at" timestamptz null, "owner_id" uuid null, "owner_team_id" uuid null, "care_plan_id" uuid null, "requester_user_id" uuid null, "outcome" text null, primary key ("id"));`);
    this.addSql(`create index "task_tenant_id_index" on "task" ("tenant_id");`);
    this.addSql(`create index "task_patient_id_index" on "task" ("patient_id");`);
    this.addSql(`create index "task_tenant_id_status_due_at_index" on "task" ("tenant_id", "status", "due_at");`);
    this.addSql(`create index "task_patient_id_authored_on_index" on "task" ("patient_id", "authored_on");`);

    this.addSql(`create table "tenant" ("id" uuid not null, "slug" varchar(255) not null, "name" varchar(255) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "tenant" add constraint "tenant_slug_unique" unique ("slug");`);

    this.addSql(`create table "user" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "email" varchar(255) not null, "display_name" varchar(255) not null, "kind" text not null, "roles" text[] not null, "active" boolean not null default true, "subject" varchar(255) null, "practitioner_id" uuid null, "patient_id" uuid null, "related_person_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "user_tenant_id_index" on "user" ("tenant_id");`);
    this.addSql(`alter table "user" add constraint "user_subject_unique" unique ("subject");`);
    this.addSql(`create index "user_practitioner_id_index" on "user" ("practitioner_id");`);
    this.addSql(`create index "user_patient_id_index" on "user" ("patient_id");`);
    this.addSql(`alter table "user" add constraint "user_tenant_id_email_unique" unique ("tenant_id", "email");`);

    this.addSql(`alter table "care_team" add constraint "care_team_status_check" check ("status" in ('proposed', 'active', 'suspended', 'inactive'));`);

    this.addSql(`alter table "patient" add constraint "patient_replaced_by_id_foreign" foreign key ("replaced_by_id") references "patient" ("id") on delete set null;`);
    this.addSql(`alter table "patient" add constraint "patient_gender_check" check ("gender" in ('male', 'female', 'other', 'unknown'));`);

    this.addSql(`alter table "medication_statement" add constraint "medication_statement_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "medication_statement" add constraint "medication_statement_status_check" check ("status" in ('active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'not-taken'));`);

    this.addSql(`alter table "immunization" add constraint "immunization_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "immunization" add constraint "immunization_status_check" check ("status" in ('completed', 'entered-in-error', 'not-done'));`);

    this.addSql(`alter table "coverage" add constraint "coverage_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "coverage" add constraint "coverage_status_check" check ("status" in ('active', 'cancelled', 'draft', 'entered-in-error'));`);

    this.addSql(`alter table "condition" add constraint "condition_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "condition" add constraint "condition_clinical_status_check" check ("clinical_status" in ('active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'));`);
    this.addSql(`alter table "condition" add constraint "condition_verification_status_check" check ("verification_status" in ('unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'));`);

    this.addSql(`alter table "care_team_patient" add constraint "care_team_patient_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "care_team_patient" add constraint "care_team_patient_care_team_id_foreign" foreign key ("care_team_id") references "care_team" ("id");`);

    this.addSql(`alter table "allergy_intolerance" add constraint "allergy_intolerance_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "allergy_intolerance" add constraint "allergy_intolerance_clinical_status_check" check ("clinical_status" in ('active', 'inactive', 'resolved'));`);
    this.addSql(`alter table "allergy_intolerance" add constraint "allergy_intolerance_verification_status_check" check ("verification_status" in ('unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'));`);
    this.addSql(`alter table "allergy_intolerance" add constraint "allergy_intolerance_criticality_check" check ("criticality" in ('low', 'high', 'unable-to-assess'));`);

    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);

    this.addSql(`alter table "medication_request" add constraint "medication_request_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "medication_request" add constraint "medication_request_requester_id_foreign" foreign key ("requester_id") references "practitioner" ("id") on delete set null;`);
    this.addSql(`alter table "medication_request" add constraint "medication_request_status_check" check ("status" in ('active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft'));`);

    this.addSql(`alter table "encounter" add constraint "encounter_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "encounter" add constraint "encounter_attending_id_foreign" foreign key ("attending_id") references "practitioner" ("id") on delete set null;`);
    this.addSql(`alter table "encounter" add constraint "encounter_status_check" check ("status" in ('planned', 'arrived', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error'));`);
    this.addSql(`alter table "encounter" add constraint "encounter_class_check" check ("class" in ('AMB', 'IMP', 'EMER', 'VR', 'HH', 'OBSENC'));`);

    this.addSql(`alter table "observation" add constraint "observation_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "observation" add constraint "observation_encounter_id_foreign" foreign key ("encounter_id") references "encounter" ("id") on delete set null;`);
    this.addSql(`alter table "observation" add constraint "observation_status_check" check ("status" in ('registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error'));`);
    this.addSql(`alter table "observation" add constraint "observation_category_check" check ("category" in ('laboratory', 'vital-signs', 'device', 'imaging', 'survey', 'social-history'));`);

    this.addSql(`alter table "care_team_member" add constraint "care_team_member_care_team_id_foreign" foreign key ("care_team_id") references "care_team" ("id");`);
    this.addSql(`alter table "care_team_member" add constraint "care_team_member_practitioner_id_foreign" foreign key ("practitioner_id") references "practitioner" ("id");`);

    this.addSql(`alter table "care_plan" add constraint "care_plan_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "care_plan" add constraint "care_plan_author_id_foreign" foreign key ("author_id") references "practitioner" ("id") on delete set null;`);
    this.addSql(`alter table "care_plan" add constraint "care_plan_status_check" check ("status" in ('draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error'));`);

    this.addSql(`alter table "care_plan_goal" add constraint "care_plan_goal_care_plan_id_foreign" foreign key ("care_plan_id") references "care_plan" ("id");`);
    this.addSql(`alter table "care_plan_goal" add constraint "care_plan_goal_lifecycle_status_check" check ("lifecycle_status" in ('proposed', 'planned', 'accepted', 'active', 'on-hold', 'completed', 'cancelled'));`);

    this.addSql(`alter table "care_plan_activity" add constraint "care_plan_activity_care_plan_id_foreign" foreign key ("care_plan_id") references "care_plan" ("id");`);
    this.addSql(`alter table "care_plan_activity" add constraint "care_plan_activity_status_check" check ("status" in ('not-started', 'scheduled', 'in-progress', 'on-hold', 'completed', 'cancelled'));`);

    this.addSql(`alter table "appointment" add constraint "appointment_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "appointment" add constraint "appointment_practitioner_id_foreign" foreign key ("practitioner_id") references "practitioner" ("id") on delete set null;`);
    this.addSql(`alter table "appointment" add constraint "appointment_status_check" check ("status" in ('proposed', 'pending', 'booked', 'arrived', 'checked-in', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'waitlist'));`);

    this.addSql(`alter table "related_person" add constraint "related_person_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);

    this.addSql(`alter table "consent" add constraint "consent_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "consent" add constraint "consent_grantee_id_foreign" foreign key ("grantee_id") references "related_person" ("id") on delete set null;`);
    this.addSql(`alter table "consent" add constraint "consent_scope_check" check ("scope" in ('patient-privacy', 'treatment', 'research', 'adr', 'communication'));`);
    this.addSql(`alter table "consent" add constraint "consent_status_check" check ("status" in ('draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error'));`);
    this.addSql(`alter table "consent" add constraint "consent_decision_check" check ("decision" in ('permit', 'deny'));`);
    this.addSql(`alter table "consent" add constraint "consent_purpose_check" check ("purpose" in ('TREAT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'ETREAT', 'care-reminders', 'wellness', 'marketing', 'proxy-access'));`);
    this.addSql(`alter table "consent" add constraint "consent_channel_check" check ("channel" in ('sms', 'email', 'phone', 'in-app', 'letter'));`);

    this.addSql(`alter table "communication" add constraint "communication_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "communication" add constraint "communication_related_person_id_foreign" foreign key ("related_person_id") references "related_person" ("id") on delete set null;`);
    this.addSql(`alter table "communication" add constraint "communication_channel_check" check ("channel" in ('sms', 'email', 'phone', 'in-app', 'letter'));`);
    this.addSql(`alter table "communication" add constraint "communication_direction_check" check ("direction" in ('outbound', 'inbound'));`);
    this.addSql(`alter table "communication" add constraint "communication_status_check" check ("status" in ('scheduled', 'in-progress', 'sent', 'delivered', 'failed', 'bounced', 'replied', 'received', 'cancelled', 'entered-in-error'));`);

    this.addSql(`alter table "task" add constraint "task_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "task" add constraint "task_owner_id_foreign" foreign key ("owner_id") references "practitioner" ("id") on delete set null;`);
    this.addSql(`alter table "task" add constraint "task_owner_team_id_foreign" foreign key ("owner_team_id") references "care_team" ("id") on delete set null;`);
    this.addSql(`alter table "task" add constraint "task_care_plan_id_foreign" foreign key ("care_plan_id") references "care_plan" ("id") on delete set null;`);
    this.addSql(`alter table "task" add constraint "task_status_check" check ("status" in ('draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error'));`);
    this.addSql(`alter table "task" add constraint "task_priority_check" check ("priority" in ('routine', 'urgent', 'asap', 'stat'));`);

    this.addSql(`alter table "user" add constraint "user_practitioner_id_foreign" foreign key ("practitioner_id") references "practitioner" ("id") on delete set null;`);
    this.addSql(`alter table "user" add constraint "user_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on delete set null;`);
    this.addSql(`alter table "user" add constraint "user_related_person_id_foreign" foreign key ("related_person_id") references "related_person" ("id") on delete set null;`);
    this.addSql(`alter table "user" add constraint "user_kind_check" check ("kind" in ('practitioner', 'staff', 'patient', 'related-person', 'integration'));`);
    this.addSql(`alter table "user" add constraint "user_roles_check" check ("roles" <@ array['admin'::text, 'physician'::text, 'nurse'::text, 'care_coordinator'::text, 'front_desk'::text, 'billing'::text, 'analyst'::text, 'patient'::text, 'integration'::text]);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "care_team_patient" drop constraint "care_team_patient_care_team_id_foreign";`);
    this.addSql(`alter table "care_team_member" drop constraint "care_team_member_care_team_id_foreign";`);
    this.addSql(`alter table "task" drop constraint "task_owner_team_id_foreign";`);
    this.addSql(`alter table "patient" drop constraint "patient_replaced_by_id_foreign";`);
    this.addSql(`alter table "medication_statement" drop constraint "medication_statement_patient_id_foreign";`);
    this.addSql(`alter table "immunization" drop constraint "immunization_patient_id_foreign";`);
    this.addSql(`alter table "coverage" drop constraint "coverage_patient_id_foreign";`);
    this.addSql(`alter table "condition" drop constraint "condition_patient_id_foreign";`);
    this.addSql(`alter table "care_team_patient" drop constraint "care_team_patient_patient_id_foreign";`);
    this.addSql(`alter table "allergy_intolerance" drop constraint "allergy_intolerance_patient_id_foreign";`);
    this.addSql(`alter table "patient_identifier" drop constraint "patient_identifier_patient_id_foreign";`);
    this.addSql(`alter table "medication_request" drop constraint "medication_request_patient_id_foreign";`);
    this.addSql(`alter table "encounter" drop constraint "encounter_patient_id_foreign";`);
    this.addSql(`alter table "observation" drop constraint "observation_patient_id_foreign";`);
    this.addSql(`alter table "care_plan" drop constraint "care_plan_patient_id_foreign";`);
    this.addSql(`alter table "appointment" drop constraint "appointment_patient_id_foreign";`);
    this.addSql(`alter table "related_person" drop constraint "related_person_patient_id_foreign";`);
    this.addSql(`alter table "consent" drop constraint "consent_patient_id_foreign";`);
    this.addSql(`alter table "communication" drop constraint "communication_patient_id_foreign";`);
    this.addSql(`alter table "task" drop constraint "task_patient_id_foreign";`);
    this.addSql(`alter table "user" drop constraint "user_patient_id_foreign";`);
    this.addSql(`alter table "medication_request" drop constraint "medication_request_requester_id_foreign";`);
    this.addSql(`alter table "encounter" drop constraint "encounter_attending_id_foreign";`);
    this.addSql(`alter table "care_team_member" drop constraint "care_team_member_practitioner_id_foreign";`);
    this.addSql(`alter table "care_plan" drop constraint "care_plan_author_id_foreign";`);
    this.addSql(`alter table "appointment" drop constraint "appointment_practitioner_id_foreign";`);
    this.addSql(`alter table "task" drop constraint "task_owner_id_foreign";`);
    this.addSql(`alter table "user" drop constraint "user_practitioner_id_foreign";`);
    this.addSql(`alter table "observation" drop constraint "observation_encounter_id_foreign";`);
    this.addSql(`alter table "care_plan_goal" drop constraint "care_plan_goal_care_plan_id_foreign";`);
    this.addSql(`alter table "care_plan_activity" drop constraint "care_plan_activity_care_plan_id_foreign";`);
    this.addSql(`alter table "task" drop constraint "task_care_plan_id_foreign";`);
    this.addSql(`alter table "consent" drop constraint "consent_grantee_id_foreign";`);
    this.addSql(`alter table "communication" drop constraint "communication_related_person_id_foreign";`);
    this.addSql(`alter table "user" drop constraint "user_related_person_id_foreign";`);

    this.addSql(`drop table if exists "audit_event" cascade;`);
    this.addSql(`drop table if exists "care_team" cascade;`);
    this.addSql(`drop table if exists "patient" cascade;`);
    this.addSql(`drop table if exists "medication_statement" cascade;`);
    this.addSql(`drop table if exists "immunization" cascade;`);
    this.addSql(`drop table if exists "coverage" cascade;`);
    this.addSql(`drop table if exists "condition" cascade;`);
    this.addSql(`drop table if exists "care_team_patient" cascade;`);
    this.addSql(`drop table if exists "allergy_intolerance" cascade;`);
    this.addSql(`drop table if exists "patient_identifier" cascade;`);
    this.addSql(`drop table if exists "practitioner" cascade;`);
    this.addSql(`drop table if exists "medication_request" cascade;`);
    this.addSql(`drop table if exists "encounter" cascade;`);
    this.addSql(`drop table if exists "observation" cascade;`);
    this.addSql(`drop table if exists "care_team_member" cascade;`);
    this.addSql(`drop table if exists "care_plan" cascade;`);
    this.addSql(`drop table if exists "care_plan_goal" cascade;`);
    this.addSql(`drop table if exists "care_plan_activity" cascade;`);
    this.addSql(`drop table if exists "appointment" cascade;`);
    this.addSql(`drop table if exists "provenance" cascade;`);
    this.addSql(`drop table if exists "related_person" cascade;`);
    this.addSql(`drop table if exists "consent" cascade;`);
    this.addSql(`drop table if exists "communication" cascade;`);
    this.addSql(`drop table if exists "task" cascade;`);
    this.addSql(`drop table if exists "tenant" cascade;`);
    this.addSql(`drop table if exists "user" cascade;`);
  }

}
