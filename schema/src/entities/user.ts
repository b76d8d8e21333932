import { type Opt } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../common/base-entity.js';
import { Role, UserKind } from '../enums/role.js';
import { Patient } from './patient.js';
import { Practitioner } from './practitioner.js';
import { RelatedPerson } from './related-person.js';

/**
 * A login identity: a practitioner, staff member, patient, related person or integration
 * account. Tokens name it by `id` (dev tokens) or by `subject` (the identity provider's `sub`).
 */
@ObjectType()
@Entity()
@Unique({ properties: ['tenantId', 'email'] })
export class User extends TenantScopedEntity {
  @Field(() => String)
  @Property({ type: 'string' })
  email!: string;

  @Field(() => String)
  @Property({ type: 'string' })
  displayName!: string;

  @Field(() => UserKind)
  @Enum({ items: () => UserKind })
  kind!: UserKind;

  @Field(() => [Role])
  @Enum({ items: () => Role, array: true })
  roles: Opt<Role[]> = [];

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  /** Subject claim from the identity provider (OIDC `sub`); unique when set. */
  @Property({ type: 'string', nullable: true, unique: true })
  subject?: string;

  @ManyToOne(() => Practitioner, { nullable: true, index: true })
  practitioner?: Practitioner;

  @ManyToOne(() => Patient, { nullable: true, index: true })
  patient?: Patient;

  @ManyToOne(() => RelatedPerson, { nullable: true })
  relatedPerson?: RelatedPerson;
}
