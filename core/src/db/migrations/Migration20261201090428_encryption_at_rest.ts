import { Migration } from '@mikro-orm/migrations';

/**
 * Encryption at rest (issue 3): the wrapped tenant keys, `text` columns for encrypted values and
 * the blind index of identifier values (which replaces the value in the unique constraint and
 * the lookup index). Existing plaintext is not touched here (SQL has no master key): the hub
 * encrypts it and fills the blind indexes at boot, right after migrating
 * (`encryptPlaintextRows`). `down` restores the columns but cannot decrypt values.
 */
export class Migration20261201090428_encryption_at_rest extends Migration {

  override name = 'Migration20261201090428_encryption_at_rest';

  override up(): void | Promise<void> {
    this.addSql(`create table "tenant_key" ("tenant_id" uuid not null, "purpose" varchar(16) not null, "version" int not null, "status" varchar(16) not null, "wrapped_key" text null, "master_key_id" varchar(128) not null, "created_at" timestamptz not null, "retired_at" timestamptz null, primary key ("tenant_id", "purpose", "version"));`);

    this.addSql(`alter table "coverage" alter column "member_id" type text using ("member_id"::text);`);

    this.addSql(`alter table "patient_identifier" drop constraint "patient_identifier_tenant_id_system_value_unique";`);
    this.addSql(`drop index "patient_identifier_tenant_id_value_index";`);
    this.addSql(`alter table "patient_identifier" add "value_index" varchar(64) null;`);
    this.addSql(`alter table "patient_identifier" alter column "value" type text using ("value"::text);`);
    this.addSql(`create index "patient_identifier_tenant_id_value_index_index" on "patient_identifier" ("tenant_id", "value_index");`);
    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_tenant_id_system_value_index_unique" unique ("tenant_id", "system", "value_index");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "tenant_key" cascade;`);

    this.addSql(`alter table "coverage" alter column "member_id" type varchar(255) using ("member_id"::varchar(255));`);

    this.addSql(`drop index "patient_identifier_tenant_id_value_index_index";`);
    this.addSql(`alter table "patient_identifier" drop constraint "patient_identifier_tenant_id_system_value_index_unique";`);
    this.addSql(`alter table "patient_identifier" drop column "value_index";`);
    this.addSql(`alter table "patient_identifier" alter column "value" type varchar(255) using ("value"::varchar(255));`);
    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_tenant_id_system_value_unique" unique ("tenant_id", "system", "value");`);
    this.addSql(`create index "patient_identifier_tenant_id_value_index" on "patient_identifier" ("tenant_id", "value");`);
  }

}
