import { Embedded, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { EncounterClass, EncounterStatus } from '../enums/clinical.js';
import { Practitioner } from './practitioner.js';
import { Sensitive } from '../common/sensitive.js';

/** A visit, admission or virtual contact (FHIR Encounter). */
@ObjectType()
@Entity()
@Index({ properties: ['patient', 'periodStart'] })
export class Encounter extends PatientOwnedEntity {
  @Field(() => EncounterStatus)
  @Enum({ items: () => EncounterStatus })
  status!: EncounterStatus;

  @Field(() => EncounterClass)
  @Enum({ items: () => EncounterClass })
  class!: EncounterClass;

  @Field(() => CodedConcept, { nullable: true })
  @Embedded(() => CodedConcept, { object: true, nullable: true })
  type?: CodedConcept;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  periodStart!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  periodEnd?: Date;

  /** Ward, room and bed or clinic, e.g. `4W^401^B`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  location?: string;

  @ManyToOne(() => Practitioner, { nullable: true })
  attending?: Practitioner;

  @Field(() => String, { nullable: true })
  @Sensitive()
  @Property({ type: 'text', nullable: true })
  reason?: string;

  /** Visit number from the source system (HL7 PV1-19). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  visitNumber?: string;
}
