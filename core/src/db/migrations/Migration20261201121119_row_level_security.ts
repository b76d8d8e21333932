import { Migration } from '@mikro-orm/migrations';

/**
 * Row-level security on every tenant-owned table (`core/src/db/tenant-isolation.ts`): rows are
 * visible and writable only for the tenant named by the connection's `caregraph.tenant_id`.
 */
export class Migration20261201121119_row_level_security extends Migration {

  override name = 'Migration20261201121119_row_level_security';

  override up(): void | Promise<void> {
    this.addSql(`alter table "audit_chain_head" enable row level security;`);
    this.addSql(`alter table "audit_chain_head" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "audit_chain_head" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "audit_event" enable row level security;`);
    this.addSql(`alter table "audit_event" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "audit_event" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "care_team" enable row level security;`);
    this.addSql(`alter table "care_team" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "care_team" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "patient" enable row level security;`);
    this.addSql(`alter table "patient" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "patient" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "medication_statement" enable row level security;`);
    this.addSql(`alter table "medication_statement" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "medication_statement" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "legal_hold" enable row level security;`);
    this.addSql(`alter table "legal_hold" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "legal_hold" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "immunization" enable row level security;`);
    this.addSql(`alter table "immunization" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "immunization" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "coverage" enable row level security;`);
    this.addSql(`alter table "coverage" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "coverage" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "condition" enable row level security;`);
    this.addSql(`alter table "condition" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "condition" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "care_team_patient" enable row level security;`);
    this.addSql(`alter table "care_team_patient" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "care_team_patient" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "allergy_intolerance" enable row level security;`);
    this.addSql(`alter table "allergy_intolerance" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "allergy_intolerance" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "patient_data_export" enable row level security;`);
    this.addSql(`alter table "patient_data_export" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "patient_data_export" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "patient_identifier" enable row level security;`);
    this.addSql(`alter table "patient_identifier" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "patient_identifier" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "practitioner" enable row level security;`);
    this.addSql(`alter table "practitioner" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "practitioner" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "medication_request" enable row level security;`);
    this.addSql(`alter table "medication_request" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "medication_request" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "encounter" enable row level security;`);
    this.addSql(`alter table "encounter" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "encounter" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "observation" enable row level security;`);
    this.addSql(`alter table "observation" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "observation" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "care_team_member" enable row level security;`);
    this.addSql(`alter table "care_team_member" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "care_team_member" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "care_plan" enable row level security;`);
    this.addSql(`alter table "care_plan" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "care_plan" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "care_plan_goal" enable row level security;`);
    this.addSql(`alter table "care_plan_goal" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "care_plan_goal" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "care_plan_activity" enable row level security;`);
    this.addSql(`alter table "care_plan_activity" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "care_plan_activity" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "appointment" enable row level security;`);
    this.addSql(`alter table "appointment" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "appointment" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "provenance" enable row level security;`);
    this.addSql(`alter table "provenance" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "provenance" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "related_person" enable row level security;`);
    this.addSql(`alter table "related_person" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "related_person" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "consent" enable row level security;`);
    this.addSql(`alter table "consent" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "consent" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "communication" enable row level security;`);
    this.addSql(`alter table "communication" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "communication" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "task" enable row level security;`);
    this.addSql(`alter table "task" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "task" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "tenant_key" enable row level security;`);
    this.addSql(`alter table "tenant_key" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "tenant_key" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "user" enable row level security;`);
    this.addSql(`alter table "user" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "user" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);

    this.addSql(`alter table "break_glass_session" enable row level security;`);
    this.addSql(`alter table "break_glass_session" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "break_glass_session" using (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*') with check (tenant_id = nullif(nullif(current_setting('caregraph.tenant_id', true), ''), '*')::uuid or current_setting('caregraph.tenant_id', true) = '*');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop policy "tenant_isolation" on "allergy_intolerance";`);

    this.addSql(`drop policy "tenant_isolation" on "appointment";`);

    this.addSql(`drop policy "tenant_isolation" on "audit_chain_head";`);

    this.addSql(`drop policy "tenant_isolation" on "audit_event";`);

    this.addSql(`drop policy "tenant_isolation" on "break_glass_session";`);

    this.addSql(`drop policy "tenant_isolation" on "care_plan";`);

    this.addSql(`drop policy "tenant_isolation" on "care_plan_activity";`);

    this.addSql(`drop policy "tenant_isolation" on "care_plan_goal";`);

    this.addSql(`drop policy "tenant_isolation" on "care_team";`);

    this.addSql(`drop policy "tenant_isolation" on "care_team_member";`);

    this.addSql(`drop policy "tenant_isolation" on "care_team_patient";`);

    this.addSql(`drop policy "tenant_isolation" on "communication";`);

    this.addSql(`drop policy "tenant_isolation" on "condition";`);

    this.addSql(`drop policy "tenant_isolation" on "consent";`);

    this.addSql(`drop policy "tenant_isolation" on "coverage";`);

    this.addSql(`drop policy "tenant_isolation" on "encounter";`);

    this.addSql(`drop policy "tenant_isolation" on "immunization";`);

    this.addSql(`drop policy "tenant_isolation" on "legal_hold";`);

    this.addSql(`drop policy "tenant_isolation" on "medication_request";`);

    this.addSql(`drop policy "tenant_isolation" on "medication_statement";`);

    this.addSql(`drop policy "tenant_isolation" on "observation";`);

    this.addSql(`drop policy "tenant_isolation" on "patient";`);

    this.addSql(`drop policy "tenant_isolation" on "patient_data_export";`);

    this.addSql(`drop policy "tenant_isolation" on "patient_identifier";`);

    this.addSql(`drop policy "tenant_isolation" on "practitioner";`);

    this.addSql(`drop policy "tenant_isolation" on "provenance";`);

    this.addSql(`drop policy "tenant_isolation" on "related_person";`);

    this.addSql(`drop policy "tenant_isolation" on "task";`);

    this.addSql(`drop policy "tenant_isolation" on "tenant_key";`);

    this.addSql(`drop policy "tenant_isolation" on "user";`);

    this.addSql(`alter table "allergy_intolerance" no force row level security;`);
    this.addSql(`alter table "allergy_intolerance" disable row level security;`);

    this.addSql(`alter table "appointment" no force row level security;`);
    this.addSql(`alter table "appointment" disable row level security;`);

    this.addSql(`alter table "audit_chain_head" no force row level security;`);
    this.addSql(`alter table "audit_chain_head" disable row level security;`);

    this.addSql(`alter table "audit_event" no force row level security;`);
    this.addSql(`alter table "audit_event" disable row level security;`);

    this.addSql(`alter table "break_glass_session" no force row level security;`);
    this.addSql(`alter table "break_glass_session" disable row level security;`);

    this.addSql(`alter table "care_plan" no force row level security;`);
    this.addSql(`alter table "care_plan" disable row level security;`);

    this.addSql(`alter table "care_plan_activity" no force row level security;`);
    this.addSql(`alter table "care_plan_activity" disable row level security;`);

    this.addSql(`alter table "care_plan_goal" no force row level security;`);
    this.addSql(`alter table "care_plan_goal" disable row level security;`);

    this.addSql(`alter table "care_team" no force row level security;`);
    this.addSql(`alter table "care_team" disable row level security;`);

    this.addSql(`alter table "care_team_member" no force row level security;`);
    this.addSql(`alter table "care_team_member" disable row level security;`);

    this.addSql(`alter table "care_team_patient" no force row level security;`);
    this.addSql(`alter table "care_team_patient" disable row level security;`);

    this.addSql(`alter table "communication" no force row level security;`);
    this.addSql(`alter table "communication" disable row level security;`);

    this.addSql(`alter table "condition" no force row level security;`);
    this.addSql(`alter table "condition" disable row level security;`);

    this.addSql(`alter table "consent" no force row level security;`);
    this.addSql(`alter table "consent" disable row level security;`);

    this.addSql(`alter table "coverage" no force row level security;`);
    this.addSql(`alter table "coverage" disable row level security;`);

    this.addSql(`alter table "encounter" no force row level security;`);
    this.addSql(`alter table "encounter" disable row level security;`);

    this.addSql(`alter table "immunization" no force row level security;`);
    this.addSql(`alter table "immunization" disable row level security;`);

    this.addSql(`alter table "legal_hold" no force row level security;`);
    this.addSql(`alter table "legal_hold" disable row level security;`);

    this.addSql(`alter table "medication_request" no force row level security;`);
    this.addSql(`alter table "medication_request" disable row level security;`);

    this.addSql(`alter table "medication_statement" no force row level security;`);
    this.addSql(`alter table "medication_statement" disable row level security;`);

    this.addSql(`alter table "observation" no force row level security;`);
    this.addSql(`alter table "observation" disable row level security;`);

    this.addSql(`alter table "patient" no force row level security;`);
    this.addSql(`alter table "patient" disable row level security;`);

    this.addSql(`alter table "patient_data_export" no force row level security;`);
    this.addSql(`alter table "patient_data_export" disable row level security;`);

    this.addSql(`alter table "patient_identifier" no force row level security;`);
    this.addSql(`alter table "patient_identifier" disable row level security;`);

    this.addSql(`alter table "practitioner" no force row level security;`);
    this.addSql(`alter table "practitioner" disable row level security;`);

    this.addSql(`alter table "provenance" no force row level security;`);
    this.addSql(`alter table "provenance" disable row level security;`);

    this.addSql(`alter table "related_person" no force row level security;`);
    this.addSql(`alter table "related_person" disable row level security;`);

    this.addSql(`alter table "task" no force row level security;`);
    this.addSql(`alter table "task" disable row level security;`);

    this.addSql(`alter table "tenant_key" no force row level security;`);
    this.addSql(`alter table "tenant_key" disable row level security;`);

    this.addSql(`alter table "user" no force row level security;`);
    this.addSql(`alter table "user" disable row level security;`);
  }

}
