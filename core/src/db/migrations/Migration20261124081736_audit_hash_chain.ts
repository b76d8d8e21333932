import { Migration } from '@mikro-orm/migrations';
import { auditRowHash, GENESIS_HASH } from '../../audit/audit-chain.js';

interface LegacyAuditRow {
  id: string;
  tenant_id: string;
  recorded_at: Date | string;
  action: string;
  type: string;
  outcome: string;
  actor_user_id: string | null;
  actor_roles: string[] | string;
  purpose_of_use: string | null;
  patient_id: string | null;
  entity: string | null;
  request_id: string | null;
  client_address: string | null;
  detail: Record<string, unknown> | string;
}

const json = <T>(value: T | string): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value;

export class Migration20261124081736_audit_hash_chain extends Migration {

  override name = 'Migration20261124081736_audit_hash_chain';

  /** The table, qualified with the schema being migrated (these statements run immediately). */
  private table(name: string): string {
    const schema = this.config.get('migrations').schema ?? this.config.get('schema');
    return schema ? `"${schema}"."${name}"` : `"${name}"`;
  }

  override async up(): Promise<void> {
    await this.execute(`create table ${this.table('audit_chain_head')} ("tenant_id" uuid not null, "sequence" bigint not null, "hash" varchar(64) not null, primary key ("tenant_id"));`);

    await this.execute(`alter table ${this.table('audit_event')} add "sequence" bigint null, add "previous_hash" varchar(64) null, add "hash" varchar(64) null;`);
    // Seal rows written before the chain existed, per tenant in (recorded_at, id) order.
    const rows = (await this.execute(
      `select * from ${this.table('audit_event')} order by "tenant_id", "recorded_at", "id"`,
    )) as unknown as LegacyAuditRow[];
    const heads = new Map<string, { sequence: number; hash: string }>();
    for (const row of rows) {
      const head = heads.get(row.tenant_id) ?? { sequence: 0, hash: GENESIS_HASH };
      const sequence = head.sequence + 1;
      const hash = auditRowHash(head.hash, {
        tenantId: row.tenant_id,
        sequence,
        id: row.id,
        recordedAt: row.recorded_at,
        action: row.action,
        type: row.type,
        outcome: row.outcome,
        actorUserId: row.actor_user_id,
        actorRoles: json(row.actor_roles),
        purposeOfUse: row.purpose_of_use,
        patientId: row.patient_id,
        entity: row.entity,
        requestId: row.request_id,
        clientAddress: row.client_address,
        detail: json(row.detail),
      });
      await this.execute(
        `update ${this.table('audit_event')} set "sequence" = ?, "previous_hash" = ?, "hash" = ? where "id" = ?`,
        [sequence, head.hash, hash, row.id],
      );
      heads.set(row.tenant_id, { sequence, hash });
    }
    for (const [tenantId, head] of heads) {
      await this.execute(
        `insert into ${this.table('audit_chain_head')} ("tenant_id", "sequence", "hash") values (?, ?, ?)`,
        [tenantId, head.sequence, head.hash],
      );
    }
    await this.execute(`alter table ${this.table('audit_event')} alter column "sequence" set not null, alter column "previous_hash" set not null, alter column "hash" set not null;`);
    await this.execute(`alter table ${this.table('audit_event')} add constraint "audit_event_tenant_id_sequence_unique" unique ("tenant_id", "sequence");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_chain_head" cascade;`);

    this.addSql(`alter table "audit_event" drop constraint "audit_event_tenant_id_sequence_unique";`);
    this.addSql(`alter table "audit_event" drop column "sequence", drop column "previous_hash", drop column "hash";`);
  }

}
