import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { ImmunizationStatus } from '../enums/clinical.js';

/** A vaccine given or recorded (FHIR Immunization). */
@ObjectType()
@Entity()
export class Immunization extends PatientOwnedEntity {
  /** Usually CVX. */
  @Field(() => CodedConcept)
  @Embedded(() => CodedConcept, { object: true })
  vaccineCode!: CodedConcept;

  @Field(() => ImmunizationStatus)
  @Enum({ items: () => ImmunizationStatus })
  status: Opt<ImmunizationStatus> = ImmunizationStatus.COMPLETED;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  occurrenceAt!: Date;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  lotNumber?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  site?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  route?: string;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  doseNumber?: number;
}
