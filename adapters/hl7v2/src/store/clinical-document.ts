import { Embedded, Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { CodedConcept, Sensitive, TenantScopedEntity } from '@caregraph/schema';

/**
 * A clinical document received over MDM (discharge summary, progress note…). CareGraph core has
 * no document entity, so the adapter keeps its own, tenant-owned (row-level security) and with
 * the text encrypted at rest. Later messages find it by its unique document number (TXA-12)
 * through a record link of kind `document`. Not exposed over GraphQL.
 */
@Entity({ tableName: 'hl7_clinical_document' })
@Index({ properties: ['tenantId', 'patientId'] })
export class ClinicalDocument extends TenantScopedEntity {
  /** The CareGraph patient the document is about. */
  @Property({ type: 'uuid' })
  patientId!: string;

  /** TXA-2 (table 0270). */
  @Embedded(() => CodedConcept, { object: true })
  type!: CodedConcept;

  /** `preliminary` or `final` (from TXA-17). */
  @Property({ type: 'string', length: 16 })
  status!: string;

  /** TXA-17 as sent (table 0271). */
  @Property({ type: 'string', length: 8, nullable: true })
  completionStatus?: string;

  /** TXA-18 as sent (table 0272). */
  @Property({ type: 'string', length: 8, nullable: true })
  confidentiality?: string;

  /** TXA-12.1, as the sender numbers it. */
  @Property({ type: 'string', length: 256 })
  documentNumber!: string;

  /** TXA-13.1, the document this one replaces or appends to. */
  @Property({ type: 'string', length: 256, nullable: true })
  parentDocumentNumber?: string;

  /** TXA-4, else TXA-6. */
  @Property({ type: 'datetime', nullable: true })
  activityAt?: Date;

  /** The CareGraph practitioner who wrote it (TXA-9, else TXA-5). */
  @Property({ type: 'uuid', nullable: true })
  authorId?: string;

  /** PV1-19.1 of the message, when the document belongs to a visit. */
  @Property({ type: 'string', length: 64, nullable: true })
  visitNumber?: string;

  /** The document's text (the OBX TX/FT/ST values); PHI, encrypted by core. */
  @Sensitive()
  @Property({ type: 'text' })
  text!: string;
}
