import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import {
  CommunicationChannel,
  CommunicationDirection,
  CommunicationStatus,
} from '../enums/engagement.js';
import { RelatedPerson } from './related-person.js';
import { Sensitive } from '../common/sensitive.js';

/** A message to or from a patient or their caregiver (FHIR Communication). */
@ObjectType()
@Entity()
@Index({ properties: ['patient', 'occurredAt'] })
export class Communication extends PatientOwnedEntity {
  @Field(() => CommunicationChannel)
  @Enum({ items: () => CommunicationChannel })
  channel!: CommunicationChannel;

  @Field(() => CommunicationDirection)
  @Enum({ items: () => CommunicationDirection })
  direction: Opt<CommunicationDirection> = CommunicationDirection.OUTBOUND;

  @Field(() => CommunicationStatus)
  @Enum({ items: () => CommunicationStatus })
  status!: CommunicationStatus;

  /** reminder | notification | follow-up | education | survey | alert | other */
  @Field(() => String)
  @Property({ type: 'string' })
  category!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  subject?: string;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  body?: string;

  /** When it was sent, received or (for scheduled ones) is due. */
  @Field(() => Date)
  @Property({ type: 'datetime' })
  occurredAt!: Date;

  /** Set when a caregiver or proxy, not the patient, is the other party. */
  @ManyToOne(() => RelatedPerson, { nullable: true })
  relatedPerson?: RelatedPerson;

  /** What the message is about, e.g. `Appointment/<id>`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  about?: string;
}
