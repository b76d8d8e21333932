import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { ConditionClinicalStatus, VerificationStatus } from '../enums/clinical.js';
import { Sensitive } from '../common/sensitive.js';

/** A problem, diagnosis or health concern (FHIR Condition). */
@ObjectType()
@Entity()
export class Condition extends PatientOwnedEntity {
  /** Usually SNOMED CT or ICD-10-CM. */
  @Field(() => CodedConcept)
  @Embedded(() => CodedConcept, { object: true })
  code!: CodedConcept;

  @Field(() => ConditionClinicalStatus)
  @Enum({ items: () => ConditionClinicalStatus })
  clinicalStatus!: ConditionClinicalStatus;

  @Field(() => VerificationStatus)
  @Enum({ items: () => VerificationStatus })
  verificationStatus: Opt<VerificationStatus> = VerificationStatus.CONFIRMED;

  /** problem-list-item | encounter-diagnosis | health-concern */
  @Field(() => String)
  @Property({ type: 'string' })
  category: Opt<string> = 'problem-list-item';

  /** mild | moderate | severe */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  severity?: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  onsetDate?: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  abatementDate?: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  recordedAt: Opt<Date> = new Date();

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  note?: string;

  @Field(() => [String])
  @Property({ type: 'json' })
  securityLabels: Opt<string[]> = [];
}
