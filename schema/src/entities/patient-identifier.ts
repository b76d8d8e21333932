import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../common/base-entity.js';
import { Sensitive } from '../common/sensitive.js';
import { Patient } from './patient.js';

/**
 * A business identifier of a patient (FHIR Identifier): MRN, national id, insurance number.
 * `value` is encrypted at rest; `(tenant, system, valueIndex)` is unique (one identifier names one
 * person) and `valueIndex`, a keyed blind index of the value, serves exact-match lookups.
 */
@ObjectType()
@Entity()
@Unique({ properties: ['tenantId', 'system', 'valueIndex'] })
@Index({ properties: ['tenantId', 'valueIndex'] })
export class PatientIdentifier extends TenantScopedEntity {
  @ManyToOne(() => Patient, { index: true })
  patient!: Patient;

  /** Namespace URI, e.g. `urn:oid:2.16.840.1.113883.4.1` (US SSN) or a hospital MRN system. */
  @Field(() => String)
  @Property({ type: 'string' })
  system!: string;

  @Field(() => String)
  @Sensitive({ blindIndex: 'valueIndex' })
  @Property({ type: 'text' })
  value!: string;

  /**
   * HMAC-SHA256 of `value` under the tenant's blind-index key (hex), set by core on every write.
   * Lets `patientByIdentifier` and duplicate checks match exactly without decrypting.
   */
  @Property({ type: 'string', length: 64, nullable: true })
  valueIndex?: string;

  /** HL7 v2-0203 identifier type code: MR, SS, DL, PPN, MB… */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  type?: string;

  /** Organization that issued the identifier. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  assigner?: string;

  /** usual | official | temp | secondary | old */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  use?: string;
}
