import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { ObservationCategory, ObservationStatus } from '../enums/clinical.js';
import { Encounter } from './encounter.js';
import { Sensitive } from '../common/sensitive.js';

/** A lab result, vital sign or device reading (FHIR Observation). */
@ObjectType()
@Entity()
@Index({ properties: ['patient', 'effectiveAt'] })
export class Observation extends PatientOwnedEntity {
  @ManyToOne(() => Encounter, { nullable: true })
  encounter?: Encounter;

  @Field(() => ObservationStatus)
  @Enum({ items: () => ObservationStatus })
  status!: ObservationStatus;

  @Field(() => ObservationCategory)
  @Enum({ items: () => ObservationCategory })
  category!: ObservationCategory;

  /** What was observed, usually LOINC. */
  @Field(() => CodedConcept)
  @Embedded(() => CodedConcept, { object: true })
  code!: CodedConcept;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  valueQuantity?: number;

  /** UCUM unit of `valueQuantity`, e.g. `mg/dL`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  unit?: string;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  valueString?: string;

  @Field(() => CodedConcept, { nullable: true })
  @Embedded(() => CodedConcept, { object: true, nullable: true })
  valueCode?: CodedConcept;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  referenceRangeLow?: number;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  referenceRangeHigh?: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  referenceRangeText?: string;

  /** v3 ObservationInterpretation: N, L, H, LL, HH, A, AA… */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  interpretation?: string;

  /** Clinically relevant time. */
  @Field(() => Date)
  @Property({ type: 'datetime' })
  effectiveAt!: Date;

  /** When the result was made available. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  issuedAt?: Date;

  /** A clinician has released the result to the patient (portal, notifications). */
  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  releasedToPatient: Opt<boolean> = false;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  note?: string;

  /** Confidentiality / sensitivity labels (v3 ActCode: PSY, ETH, HIV, SEX, GDIS…). */
  @Field(() => [String])
  @Property({ type: 'json' })
  securityLabels: Opt<string[]> = [];
}
