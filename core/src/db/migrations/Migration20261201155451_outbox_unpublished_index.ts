import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox's unpublished rows get a partial index `(tenant_id, position) where published_at is
 * null` (the relay's poll and batches, the lag metric), replacing the full
 * `(tenant_id, published_at, position)` index whose every publish rewrote an entry.
 */
export class Migration20261201155451_outbox_unpublished_index extends Migration {

  override name = 'Migration20261201155451_outbox_unpublished_index';

  override up(): void | Promise<void> {
    this.addSql(`drop index "outbox_event_tenant_id_published_at_position_index";`);
    this.addSql(`create index "outbox_event_unpublished_index" on "outbox_event" ("tenant_id", "position") where "published_at" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "outbox_event_unpublished_index";`);
    this.addSql(`CREATE INDEX outbox_event_tenant_id_published_at_position_index ON public.outbox_event USING btree (tenant_id, published_at, "position");`);
  }

}
