import { Migration } from '@mikro-orm/migrations';

export class Migration20261201090514_break_glass_and_consent_labels extends Migration {

  override name = 'Migration20261201090514_break_glass_and_consent_labels';

  override up(): void | Promise<void> {
    this.addSql(`create table "break_glass_session" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "user_id" uuid not null, "reason" text not null, "started_at" timestamptz not null, "expires_at" timestamptz not null, "reviewed_at" timestamptz null, "reviewed_by_id" uuid null, "review_note" text null, primary key ("id"));`);
    this.addSql(`create index "break_glass_session_tenant_id_index" on "break_glass_session" ("tenant_id");`);
    this.addSql(`create index "break_glass_session_patient_id_index" on "break_glass_session" ("patient_id");`);
    this.addSql(`create index "break_glass_session_tenant_id_reviewed_at_started_at_index" on "break_glass_session" ("tenant_id", "reviewed_at", "started_at");`);
    this.addSql(`create index "break_glass_session_tenant_id_user_id_expires_at_index" on "break_glass_session" ("tenant_id", "user_id", "expires_at");`);

    // Existing consents carry no labels; the default only fills them, the entity sets the value.
    this.addSql(`alter table "consent" add "security_labels" jsonb not null default '[]';`);
    this.addSql(`alter table "consent" alter column "security_labels" drop default;`);

    this.addSql(`alter table "break_glass_session" add constraint "break_glass_session_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
    this.addSql(`alter table "break_glass_session" add constraint "break_glass_session_user_id_foreign" foreign key ("user_id") references "user" ("id");`);
    this.addSql(`alter table "break_glass_session" add constraint "break_glass_session_reviewed_by_id_foreign" foreign key ("reviewed_by_id") references "user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "break_glass_session" cascade;`);

    this.addSql(`alter table "consent" drop column "security_labels";`);
  }

}
