import { Entity, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@caregraph/schema';

/**
 * How a sender names a record CareGraph holds: a practitioner's id in the sender's system, an
 * appointment's filler id, a problem instance id, a document number, an order number. Later
 * messages find the record through it. `(tenant, kind, system, externalId)` is unique.
 */
@Entity({ tableName: 'hl7_record_link' })
@Unique({ properties: ['tenantId', 'kind', 'system', 'externalId'] })
export class RecordLink extends TenantScopedEntity {
  /** `practitioner`, `appointment`, `problem`, `document`, `order`… */
  @Property({ type: 'string', length: 32 })
  kind!: string;

  /** The namespace of the id: an identifier system, or the sender key for local ids. */
  @Property({ type: 'string', length: 512 })
  system!: string;

  @Property({ type: 'string', length: 256 })
  externalId!: string;

  /** The CareGraph record, e.g. `Practitioner`. */
  @Property({ type: 'string', length: 64 })
  recordType!: string;

  @Property({ type: 'uuid' })
  recordId!: string;
}
