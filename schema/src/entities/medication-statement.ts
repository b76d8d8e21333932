import { Embedded, Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { MedicationStatementStatus } from '../enums/clinical.js';
import { Sensitive } from '../common/sensitive.js';

/** A medication the patient is, was or will be taking (FHIR MedicationStatement). */
@ObjectType()
@Entity()
export class MedicationStatement extends PatientOwnedEntity {
  /** Usually RxNorm. */
  @Field(() => CodedConcept)
  @Embedded(() => CodedConcept, { object: true })
  medication!: CodedConcept;

  @Field(() => MedicationStatementStatus)
  @Enum({ items: () => MedicationStatementStatus })
  status!: MedicationStatementStatus;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  dosageText?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  effectiveStart?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  effectiveEnd?: Date;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  note?: string;
}
