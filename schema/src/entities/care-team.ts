import { type Opt } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../common/base-entity.js';
import { CodedConcept } from '../embeddables/coded-concept.js';
import { CareTeamStatus } from '../enums/workflow.js';

/**
 * A team that cares for a panel of patients (FHIR CareTeam whose subject is a group):
 * members are practitioners (CareTeamMember), patients join it through CareTeamPatient.
 */
@ObjectType()
@Entity()
export class CareTeam extends TenantScopedEntity {
  @Field(() => String)
  @Property({ type: 'string' })
  name!: string;

  @Field(() => CareTeamStatus)
  @Enum({ items: () => CareTeamStatus })
  status: Opt<CareTeamStatus> = CareTeamStatus.ACTIVE;

  /** e.g. LOINC LA27976-2 "Encounter-focused care team", LA28865-6 "Longitudinal care-coordination". */
  @Field(() => CodedConcept, { nullable: true })
  @Embedded(() => CodedConcept, { object: true, nullable: true })
  category?: CodedConcept;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string;
}
