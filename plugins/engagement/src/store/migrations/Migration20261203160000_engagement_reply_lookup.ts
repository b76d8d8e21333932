import { Migration } from '@mikro-orm/migrations';

/**
 * What inbound SMS need to find the message they answer: the blind index of the address a message
 * went to, indexed with its send time, and the provider's message id (delivery receipts).
 */
export class Migration20261203160000_engagement_reply_lookup extends Migration {
  override name = 'Migration20261203160000_engagement_reply_lookup';

  override up(): void {
    this.addSql(`alter table "engagement_scheduled_message" add column "address_index" varchar(64) null;`);
    this.addSql(`create index "engagement_scheduled_message_tenant_id_address_index_sent_at_index" on "engagement_scheduled_message" ("tenant_id", "address_index", "sent_at");`);
    this.addSql(`create index "engagement_scheduled_message_tenant_id_provider_message_id_index" on "engagement_scheduled_message" ("tenant_id", "provider_message_id");`);
  }

  override down(): void {
    this.addSql(`drop index "engagement_scheduled_message_tenant_id_provider_message_id_index";`);
    this.addSql(`drop index "engagement_scheduled_message_tenant_id_address_index_sent_at_index";`);
    this.addSql(`alter table "engagement_scheduled_message" drop column "address_index";`);
  }
}
