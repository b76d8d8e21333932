import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { Sensitive } from '../common/sensitive.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { AppointmentParticipant } from '../embeddables/appointment-participant.js';
import { AppointmentStatus } from '../enums/workflow.js';
import { Practitioner } from './practitioner.js';

/**
 * A booked or proposed meeting (FHIR Appointment). `practitioner` is the clinician whose time
 * is held; core refuses to book two slot-holding appointments that overlap for the same one.
 */
@ObjectType()
@Entity()
@Index({ properties: ['patient', 'start'] })
@Index({ properties: ['practitioner', 'start'] })
@Index({ properties: ['tenantId', 'start'] })
export class Appointment extends PatientOwnedEntity {
  @Field(() => AppointmentStatus)
  @Enum({ items: () => AppointmentStatus })
  status: Opt<AppointmentStatus> = AppointmentStatus.BOOKED;

  @ManyToOne(() => Practitioner, { nullable: true })
  practitioner?: Practitioner;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  start!: Date;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  end!: Date;

  @Field(() => CodedConcept, { nullable: true })
  @Embedded(() => CodedConcept, { object: true, nullable: true })
  serviceType?: CodedConcept;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  location?: string;

  /** Join link for a video visit. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  telehealthUrl?: string;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  description?: string;

  @Field(() => [AppointmentParticipant])
  @Embedded(() => AppointmentParticipant, { array: true })
  participants: Opt<AppointmentParticipant[]> = [];

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  cancellationReason?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date;
}
