import { type Opt } from '@mikro-orm/core';
import {
  BeforeCreate,
  BeforeUpdate,
  Embedded,
  Entity,
  Enum,
  Index,
  ManyToOne,
  Property,
} from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { TenantScopedEntity } from '../common/base-entity.js';
import { Address } from '../embeddables/address.js';
import { ContactPoint } from '../embeddables/contact-point.js';
import { HumanName } from '../embeddables/human-name.js';
import { AdministrativeGender } from '../enums/gender.js';
import { normalizeSearchText } from '../common/normalize.js';

/**
 * A person receiving care (FHIR Patient). Relations (care teams, appointments, results…) are
 * resolved by core through per-request DataLoaders, so none are mapped as collections here.
 */
@ObjectType()
@Entity()
@Index({ properties: ['tenantId', 'birthDate'] })
@Index({
  name: 'patient_family_search_idx',
  expression:
    'create index "patient_family_search_idx" on "patient" ("tenant_id", "family_search" text_pattern_ops)',
})
@Index({
  name: 'patient_given_search_idx',
  expression:
    'create index "patient_given_search_idx" on "patient" ("tenant_id", "given_search" text_pattern_ops)',
})
export class Patient extends TenantScopedEntity {
  /** false once merged into another record or deactivated. */
  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  @Field(() => [HumanName], { description: 'All names; `name` is the preferred one.' })
  @Embedded(() => HumanName, { array: true })
  names: Opt<HumanName[]> = [];

  /** Folded family names, space-separated, for prefix search (see normalizeSearchText). */
  @Property({ type: 'text' })
  familySearch: Opt<string> = '';

  /** Folded given names, space-separated, for prefix search. */
  @Property({ type: 'text' })
  givenSearch: Opt<string> = '';

  @Field(() => AdministrativeGender, { nullable: true })
  @Enum({ items: () => AdministrativeGender, nullable: true })
  gender?: AdministrativeGender;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  birthDate?: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  deceased: Opt<boolean> = false;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  deceasedAt?: Date;

  @Field(() => [ContactPoint], { nullable: true })
  @Embedded(() => ContactPoint, { array: true })
  telecom: Opt<ContactPoint[]> = [];

  @Field(() => [Address], { nullable: true })
  @Embedded(() => Address, { array: true })
  address: Opt<Address[]> = [];

  /** BCP-47 language tag, e.g. `es` or `en-US`. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  preferredLanguage?: string;

  /** IANA time zone, e.g. `America/Chicago`; used for quiet hours and reminders. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  timeZone?: string;

  /** Set on a merged (non-surviving) record: the record it was merged into. */
  @ManyToOne(() => Patient, { nullable: true, ref: false })
  replacedBy?: Patient;

  /**
   * Set when the patient's data was erased (right to erasure): the row is kept as a tombstone
   * with its id and this time only, so that audit rows and references stay resolvable; names,
   * contacts, identifiers and every record about the patient are gone. Not exposed as a field:
   * core answers `patient(id)` for a tombstone with NOT_FOUND and `erased: true`.
   */
  @Property({ type: 'datetime', nullable: true })
  erasedAt?: Date;

  /** Keeps the folded search columns in step with `names`. */
  @BeforeCreate()
  @BeforeUpdate()
  refreshNameSearch(): void {
    this.familySearch = normalizeSearchText(this.names.map((n) => n.family ?? '').join(' '));
    this.givenSearch = normalizeSearchText(this.names.flatMap((n) => n.given).join(' '));
  }

  /** The preferred name: the first `usual`, else `official`, else the first name. */
  @Field(() => HumanName, { nullable: true })
  name(): HumanName | undefined {
    return (
      this.names.find((n) => n.use === 'usual') ??
      this.names.find((n) => n.use === 'official') ??
      this.names[0]
    );
  }
}
