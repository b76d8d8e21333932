import { Migration } from '@mikro-orm/migrations';

export class Migration20261201085841_patient_rights extends Migration {

  override name = 'Migration20261201085841_patient_rights';

  override up(): void | Promise<void> {
    this.addSql(`create table "legal_hold" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "reason" text not null, "placed_by_user_id" uuid not null, "placed_at" timestamptz not null, "released_at" timestamptz null, "released_by_user_id" uuid null, "release_reason" text null, primary key ("id"));`);
    this.addSql(`create index "legal_hold_tenant_id_index" on "legal_hold" ("tenant_id");`);
    this.addSql(`create index "legal_hold_patient_id_index" on "legal_hold" ("patient_id");`);
    this.addSql(`create index "legal_hold_patient_id_released_at_index" on "legal_hold" ("patient_id", "released_at");`);

    this.addSql(`create table "patient_data_export" ("id" uuid not null, "tenant_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "patient_id" uuid not null, "requested_by_user_id" uuid not null, "expires_at" timestamptz not null, "resource_count" int not null default 0, "downloaded_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "patient_data_export_tenant_id_index" on "patient_data_export" ("tenant_id");`);
    this.addSql(`create index "patient_data_export_tenant_id_patient_id_index" on "patient_data_export" ("tenant_id", "patient_id");`);

    this.addSql(`alter table "patient" add "erased_at" timestamptz null;`);

    this.addSql(`alter table "legal_hold" add constraint "legal_hold_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "legal_hold" cascade;`);
    this.addSql(`drop table if exists "patient_data_export" cascade;`);

    this.addSql(`alter table "patient" drop column "erased_at";`);
  }

}
