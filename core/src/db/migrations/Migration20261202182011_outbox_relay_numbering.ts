import { Migration } from '@mikro-orm/migrations';

/**
 * Writers no longer allocate outbox positions under the tenant's `outbox_head` lock (which
 * serialised a tenant's writes): rows are inserted without a position, with an insert-order
 * `sequence`, and the relay numbers committed rows (`core/src/events/outbox-relay.ts`).
 * Rows already numbered keep their positions.
 */
export class Migration20261202182011_outbox_relay_numbering extends Migration {

  override name = 'Migration20261202182011_outbox_relay_numbering';

  override up(): void | Promise<void> {
    this.addSql(`alter table "outbox_event" add "sequence" bigserial;`);
    this.addSql(`alter table "outbox_event" alter column "position" drop not null;`);
    this.addSql(`create index "outbox_event_unnumbered_index" on "outbox_event" ("tenant_id", "sequence") where "position" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "outbox_event_unnumbered_index";`);
    this.addSql(`alter table "outbox_event" drop column "sequence";`);
    this.addSql(`alter table "outbox_event" alter column "position" set not null;`);
  }

}
