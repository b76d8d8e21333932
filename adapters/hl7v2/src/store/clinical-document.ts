import { Embedded, Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import type { Opt } from '@mikro-orm/core';
import { CodedConcept, Sensitive, TenantScopedEntity } from '@caregraph/schema';

/**
 * A clinical document received over MDM (discharge summary, progress note…). CareGraph core has
 * no document entity, so the adapter keeps its own, tenant-owned (row-level security) and with
 * the text encrypted at rest. Later messages find it by its unique document number (TXA-12)
 * through a record link of kind `document`. Read over GraphQL by clinicians with a care
 * relationship to the patient (`clinicalDocuments`, `clinicalDocument`), restricted ones only by
 * those core shows their `securityLabels` to: see clinical-document-resolver.ts.
 */
@ObjectType({
  description:
    'A clinical document received over HL7 v2 MDM (TXA and its OBX text): clinical data of its patient.',
})
@Entity({ tableName: 'hl7_clinical_document' })
@Index({ properties: ['tenantId', 'patientId', 'listedAt', 'id'] })
export class ClinicalDocument extends TenantScopedEntity {
  /** The CareGraph patient the document is about. */
  @Field(() => ID)
  @Property({ type: 'uuid' })
  patientId!: string;

  /** TXA-2 (table 0270). */
  @Field(() => CodedConcept, { description: 'TXA-2, HL7 table 0270 (e.g. PN progress note).' })
  @Embedded(() => CodedConcept, { object: true })
  type!: CodedConcept;

  /** `preliminary` or `final` (from TXA-17). */
  @Field(() => String, { description: '`preliminary` or `final` (from TXA-17).' })
  @Property({ type: 'string', length: 16 })
  status!: string;

  /** TXA-17 as sent (table 0271). */
  @Property({ type: 'string', length: 8, nullable: true })
  completionStatus?: string;

  /** TXA-18 as sent (table 0272). */
  @Property({ type: 'string', length: 8, nullable: true })
  confidentiality?: string;

  /**
   * Security labels in core's terms (v3: `R`/`V` from TXA-18, sensitivity codes such as `PSY`
   * from TXA-2, per the `documentSensitivity` config): callers core withholds them from do not
   * see the document at all.
   */
  @Field(() => [String], {
    description:
      'Security labels (HL7 v3): R or V from TXA-18, sensitivity codes (PSY, ETH…) from the document type.',
  })
  @Property({ type: 'json' })
  securityLabels: Opt<string[]> = [];

  /** TXA-12.1, as the sender numbers it. */
  @Field(() => String, { description: 'TXA-12.1, the unique document number of the sender.' })
  @Property({ type: 'string', length: 256 })
  documentNumber!: string;

  /** TXA-13.1, the document this one replaces or appends to. */
  @Property({ type: 'string', length: 256, nullable: true })
  parentDocumentNumber?: string;

  /** TXA-4, else TXA-6. */
  @Field(() => Date, {
    name: 'authoredAt',
    nullable: true,
    description: 'TXA-4 activity time, else TXA-6 origination time.',
  })
  @Property({ type: 'datetime', nullable: true })
  activityAt?: Date;

  /**
   * What lists are ordered by, newest first: the activity time, else when the document was first
   * stored (`activityAt` may be missing; a keyset needs a value).
   */
  @Property({ type: 'datetime' })
  listedAt!: Date;

  /** The CareGraph practitioner who wrote it (TXA-9, else TXA-5). */
  @Property({ type: 'uuid', nullable: true })
  authorId?: string;

  /** PV1-19.1 of the message, when the document belongs to a visit. */
  @Property({ type: 'string', length: 64, nullable: true })
  visitNumber?: string;

  /** The stored message (`IntegrationMessage`) that last created or changed the document. */
  @Field(() => ID, {
    nullable: true,
    description:
      'The stored HL7 message that last created or changed the document (roles admin and integration).',
  })
  @Property({ type: 'uuid', nullable: true })
  sourceMessageId?: string;

  /** The document's text (the OBX TX/FT/ST values); PHI, encrypted by core. */
  @Field(() => String, {
    name: 'content',
    description: 'The text of the document (its OBX TX, FT and ST values, one line each).',
  })
  @Sensitive()
  @Property({ type: 'text' })
  text!: string;
}
