import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { Sensitive } from '../common/sensitive.js';
import {
  CommunicationChannel,
  ConsentDecision,
  ConsentPurpose,
  ConsentScope,
  ConsentStatus,
} from '../enums/engagement.js';
import { RelatedPerson } from './related-person.js';

/**
 * A patient's permission or refusal (FHIR Consent): for a purpose, optionally limited to one
 * channel, or granting a related person proxy access.
 */
@ObjectType()
@Entity()
export class Consent extends PatientOwnedEntity {
  @Field(() => ConsentScope)
  @Enum({ items: () => ConsentScope })
  scope!: ConsentScope;

  @Field(() => ConsentStatus)
  @Enum({ items: () => ConsentStatus })
  status: Opt<ConsentStatus> = ConsentStatus.ACTIVE;

  @Field(() => ConsentDecision)
  @Enum({ items: () => ConsentDecision })
  decision: Opt<ConsentDecision> = ConsentDecision.PERMIT;

  @Field(() => ConsentPurpose)
  @Enum({ items: () => ConsentPurpose })
  purpose!: ConsentPurpose;

  /** Set when the consent concerns one communication channel only. */
  @Field(() => CommunicationChannel, { nullable: true })
  @Enum({ items: () => CommunicationChannel, nullable: true })
  channel?: CommunicationChannel;

  /** Who the consent grants access to, for proxy consents. */
  @ManyToOne(() => RelatedPerson, { nullable: true })
  grantee?: RelatedPerson;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  periodStart: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  periodEnd?: Date;

  /** How it was captured: signed form id, `verbal`, `portal`, `sms-keyword`… */
  @Field(() => String)
  @Property({ type: 'string' })
  source!: string;

  /** User id of whoever recorded it. */
  @Property({ type: 'uuid', nullable: true })
  recordedByUserId?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  revocationReason?: string;

  /**
   * Sensitivity codes the consent is limited to (FHIR provision.securityLabel), e.g. `ETH` on a
   * 42 CFR Part 2 treatment consent, or `PSY` on a refusal to share mental-health records.
   */
  @Field(() => [String])
  @Property({ type: 'json' })
  securityLabels: Opt<string[]> = [];
}
