import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwnedEntity } from '../common/patient-owned-entity.js';
import { Address } from '../embeddables/address.js';
import { ContactPoint } from '../embeddables/contact-point.js';
import { HumanName } from '../embeddables/human-name.js';

/** A caregiver, guardian, proxy or next of kin of a patient (FHIR RelatedPerson). */
@ObjectType()
@Entity()
export class RelatedPerson extends PatientOwnedEntity {
  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  /** v3 RoleCode, e.g. `GUARD` (guardian), `CAREGIVER`, `MTH`, `SPS`, `NOK`, `POWATT` (proxy). */
  @Field(() => String)
  @Property({ type: 'string' })
  relationship!: string;

  @Field(() => HumanName)
  @Embedded(() => HumanName, { object: true })
  name!: HumanName;

  @Field(() => [ContactPoint])
  @Embedded(() => ContactPoint, { array: true })
  telecom: Opt<ContactPoint[]> = [];

  @Field(() => [Address])
  @Embedded(() => Address, { array: true })
  address: Opt<Address[]> = [];

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  periodStart?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  periodEnd?: Date;
}
