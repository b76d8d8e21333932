import { BigIntType, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/**
 * One audited action (FHIR AuditEvent): who did what to which record, why, and how it went.
 * Append-only: core never updates or deletes these rows. Each tenant's rows form a hash chain
 * (`sequence` 1, 2, 3…; `hash` = SHA-256 of `previousHash` and the row's canonical content), so
 * `caregraph audit verify` detects an edited, deleted or inserted row.
 */
@ObjectType()
@Entity()
@Unique({ properties: ['tenantId', 'sequence'] })
@Index({ properties: ['tenantId', 'recordedAt'] })
@Index({ properties: ['tenantId', 'patientId', 'recordedAt'] })
@Index({ properties: ['tenantId', 'actorUserId', 'recordedAt'] })
export class AuditEvent {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  recordedAt: Opt<Date> = new Date();

  /** C create | R read | U update | D delete | E execute */
  @Field(() => String)
  @Property({ type: 'string', length: 1 })
  action!: string;

  /** Operation, e.g. `patient.read`, `patient.merge`, `login.failed`. */
  @Field(() => String)
  @Property({ type: 'string' })
  type!: string;

  /** 0 success | 4 minor failure | 8 serious failure | 12 major failure */
  @Field(() => String)
  @Property({ type: 'string' })
  outcome: Opt<string> = '0';

  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  actorUserId?: string;

  @Field(() => [String])
  @Property({ type: 'json' })
  actorRoles: Opt<string[]> = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  purposeOfUse?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  patientId?: string;

  /** e.g. `Patient/<id>`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  entity?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  requestId?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  clientAddress?: string;

  /** Position in the tenant's audit chain: 1, 2, 3… without gaps. */
  @Property({ type: new BigIntType('number') })
  sequence!: number;

  /** `hash` of the tenant's previous row (64 zeros for the first). Hex SHA-256. */
  @Property({ type: 'string', length: 64 })
  previousHash!: string;

  /** SHA-256 (hex) of `previousHash` and this row's canonical content. */
  @Property({ type: 'string', length: 64 })
  hash!: string;

  /** Non-PHI details: changed field names, data categories read, error code. */
  @Field(() => GraphQLJSONObject)
  @Property({ type: 'json' })
  detail: Opt<Record<string, unknown>> = {};
}
