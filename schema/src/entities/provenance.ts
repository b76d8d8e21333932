import { type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * Where a record came from (FHIR Provenance): which user, source system or inbound message
 * created or changed it.
 */
@ObjectType()
@Entity()
@Index({ properties: ['tenantId', 'target'] })
export class Provenance {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  tenantId!: string;

  /** e.g. `Patient/<id>`. */
  @Field(() => String)
  @Property({ type: 'string' })
  target!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  recordedAt: Opt<Date> = new Date();

  /** create | update | merge | delete */
  @Field(() => String)
  @Property({ type: 'string' })
  activity!: string;

  /** user | system | device */
  @Field(() => String)
  @Property({ type: 'string' })
  agentType!: string;

  /** User id, or the source system's name for integrations. */
  @Field(() => String)
  @Property({ type: 'string' })
  agentId!: string;

  /** Source system (e.g. HL7 MSH-3/MSH-4) when the change came from an interface. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  sourceSystem?: string;

  /** Source message id (e.g. HL7 MSH-10) or integration message id. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  sourceMessageId?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason?: string;
}
