import { type Opt } from '@mikro-orm/core';
import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../common/base-entity.js';

/**
 * A short-lived, single-use permission to download one patient's data as a FHIR Bundle
 * (right of access and portability). Created by core's `exportPatientData`; the download route
 * claims it (sets `downloadedAt`) before it streams anything. Kept in the database, not in
 * memory, so that any gateway instance can serve the download. Not exposed in GraphQL as is.
 *
 * `patientId` is a plain column (no foreign key): a merge must not redirect a pending export
 * to another record, and erasure deletes the patient's exports explicitly.
 */
@Entity()
@Index({ properties: ['tenantId', 'patientId'] })
export class PatientDataExport extends TenantScopedEntity {
  @Property({ type: 'uuid' })
  patientId!: string;

  /** The user who asked for it: only they may download it. */
  @Property({ type: 'uuid' })
  requestedByUserId!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  /** Number of resources counted when the export was created (the download may differ). */
  @Property({ type: 'integer' })
  resourceCount: Opt<number> = 0;

  /** Set when the download starts; a second download is refused. */
  @Property({ type: 'datetime', nullable: true })
  downloadedAt?: Date;
}
