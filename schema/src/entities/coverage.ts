import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { CoverageStatus } from '../enums/clinical.js';
import { Sensitive } from '../common/sensitive.js';

/** An insurance plan or other payer that covers the patient (FHIR Coverage). */
@ObjectType()
@Entity()
export class Coverage extends PatientOwnedEntity {
  @Field(() => CoverageStatus)
  @Enum({ items: () => CoverageStatus })
  status: Opt<CoverageStatus> = CoverageStatus.ACTIVE;

  /** e.g. v3 ActCode `HIP` (health insurance plan), `MCPOL` (managed care), `pay` (self-pay). */
  @Field(() => CodedConcept, { nullable: true })
  @Embedded(() => CodedConcept, { object: true, nullable: true })
  type?: CodedConcept;

  @Field(() => String)
  @Property({ type: 'string' })
  payor!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  planName?: string;

  /** Member id on the insurance card (encrypted at rest). */
  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  memberId?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  groupNumber?: string;

  /** self | spouse | child | parent | other */
  @Field(() => String)
  @Property({ type: 'string' })
  relationship: Opt<string> = 'self';

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  periodStart?: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  periodEnd?: string;
}
