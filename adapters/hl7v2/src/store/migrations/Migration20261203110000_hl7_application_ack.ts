import { Migration } from '@mikro-orm/migrations';

/**
 * Application ACKs sent later over a link of the hub's own: `hl7_message.application_ack_delivery`
 * says what became of one the message's connection could not take (`queued`, `undelivered`); the
 * outbound queue takes ACKs (status `delivered`: written, since ACKs are not acknowledged), which
 * need not be about a patient (`patient_id` nullable).
 */
export class Migration20261203110000_hl7_application_ack extends Migration {
  override name = 'Migration20261203110000_hl7_application_ack';

  override up(): void {
    this.addSql(`alter table "hl7_message" add column "application_ack_delivery" text null;`);
    this.addSql(`alter table "hl7_message" add constraint "hl7_message_application_ack_delivery_check" check ("application_ack_delivery" in ('queued', 'undelivered'));`);
    this.addSql(`alter table "hl7_outbound_message" alter column "patient_id" drop not null;`);
    this.addSql(`alter table "hl7_outbound_message" drop constraint "hl7_outbound_message_status_check";`);
    this.addSql(`alter table "hl7_outbound_message" add constraint "hl7_outbound_message_status_check" check ("status" in ('queued', 'sent', 'acknowledged', 'delivered', 'error'));`);
  }

  override down(): void {
    this.addSql(`delete from "hl7_outbound_message" where "status" = 'delivered' or "patient_id" is null;`);
    this.addSql(`alter table "hl7_outbound_message" drop constraint "hl7_outbound_message_status_check";`);
    this.addSql(`alter table "hl7_outbound_message" add constraint "hl7_outbound_message_status_check" check ("status" in ('queued', 'sent', 'acknowledged', 'error'));`);
    this.addSql(`alter table "hl7_outbound_message" alter column "patient_id" set not null;`);
    this.addSql(`alter table "hl7_message" drop constraint "hl7_message_application_ack_delivery_check";`);
    this.addSql(`alter table "hl7_message" drop column "application_ack_delivery";`);
  }
}
