import { Migration } from '@mikro-orm/migrations';

export class Migration20261124071419_identifier_value_index extends Migration {

  override name = 'Migration20261124071419_identifier_value_index';

  override up(): void | Promise<void> {
    this.addSql(`create index "patient_identifier_tenant_id_value_index" on "patient_identifier" ("tenant_id", "value");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "patient_identifier_tenant_id_value_index";`);
  }

}
