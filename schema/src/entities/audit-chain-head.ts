import { BigIntType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The head of a tenant's audit hash chain: the last appended sequence and hash. Writers lock
 * this row (`FOR UPDATE`) to append, which serialises appends per tenant; `audit verify`
 * compares it with the last audit row to detect a deleted tail. Not exposed in GraphQL.
 */
@Entity()
export class AuditChainHead {
  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: new BigIntType('number') })
  sequence!: number;

  @Property({ type: 'string', length: 64 })
  hash!: string;
}
