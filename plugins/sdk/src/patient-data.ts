import type { EntityManager } from '@mikro-orm/core';

/**
 * What a patient-data handler runs with (since API 1.5.0): the tenant and the EntityManager of
 * the core operation's own transaction, so the plugin's changes commit or roll back with the
 * merge or erasure that called it.
 */
export interface PatientDataScope {
  tenantId: string;
  /** Tenant-filtered; inside the merge's or erasure's transaction. */
  em: EntityManager;
  /** The tenant's keyed blind index of a value (as `TenantScope.blindIndex`). */
  blindIndex(value: string): string;
}

/** What an export handler runs with: a patient-data scope that can refer to practitioners. */
export interface PatientExportScope extends PatientDataScope {
  /**
   * A FHIR reference to a practitioner (`Practitioner/<id>`); the hub adds that Practitioner to
   * the bundle, so the reference resolves inside it.
   */
  practitioner(id: string): { reference: string };
}

/** A FHIR R4 resource as JSON (the hub writes it to the export bundle as it is). */
export interface PluginFhirResource {
  resourceType: string;
  id: string;
  [field: string]: unknown;
}

/**
 * How a plugin's own rows about patients follow the hub's patient lifecycle (since API 1.5.0).
 * Core's merge, erasure and export call every registered plugin's handlers; a handler that
 * throws fails the whole operation (nothing is merged or erased half-way). Handlers receive
 * hub patient ids and run with the privileges of the core operation: they must not check
 * access again or call the domain services.
 */
export interface PluginPatientData {
  /**
   * In the merge's transaction, after core moved its own records: move the plugin's rows about
   * `loserId` to `survivorId`. Returns counts by kind for the merge's audit row (no PHI).
   */
  onMerge?(
    scope: PatientDataScope,
    survivorId: string,
    loserId: string,
  ): Promise<Record<string, number> | void>;
  /**
   * In the erasure's transaction, after the legal-hold and retention checks passed and before
   * core deletes its records (they can still be read): delete, or strip of PHI, every row about
   * the patients (`patientIds`: the erased patient and the records merged into it). Returns how
   * many rows it deleted or cleared (added to `deletedRecords`).
   */
  onErase?(scope: PatientDataScope, patientIds: readonly string[]): Promise<number>;
  /**
   * The latest clinical activity among the plugin's rows about the patients (a document written,
   * a procedure done): erasure is refused while the retention period after it runs.
   */
  lastClinicalActivity?(
    scope: PatientDataScope,
    patientIds: readonly string[],
  ): Promise<Date | undefined>;
  /** The plugin's part of a patient's data export (right of access and portability). */
  export?: {
    /** How many resources `resources` yields (the export ticket's `resourceCount`). */
    count(scope: PatientDataScope, patientIds: readonly string[]): Promise<number>;
    /** The resources, streamed (read page by page: memory stays bounded). */
    resources(
      scope: PatientExportScope,
      patientIds: readonly string[],
    ): AsyncIterable<PluginFhirResource>;
  };
}
