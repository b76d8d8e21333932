import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { MedicationRequestStatus } from '../enums/clinical.js';
import { Practitioner } from './practitioner.js';

/** A prescription or medication order (FHIR MedicationRequest). */
@ObjectType()
@Entity()
export class MedicationRequest extends PatientOwnedEntity {
  @Field(() => CodedConcept)
  @Embedded(() => CodedConcept, { object: true })
  medication!: CodedConcept;

  @Field(() => MedicationRequestStatus)
  @Enum({ items: () => MedicationRequestStatus })
  status!: MedicationRequestStatus;

  /** proposal | plan | order | original-order | reflex-order | filler-order | instance-order */
  @Field(() => String)
  @Property({ type: 'string' })
  intent: Opt<string> = 'order';

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  dosageText?: string;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  quantity?: number;

  /** Days one dispense lasts; drives refill reminders. */
  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  daysSupply?: number;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  refillsAllowed?: number;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  authoredOn: Opt<Date> = new Date();

  @ManyToOne(() => Practitioner, { nullable: true })
  requester?: Practitioner;

  @Field(() => [String])
  @Property({ type: 'json' })
  securityLabels: Opt<string[]> = [];
}
