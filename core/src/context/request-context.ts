import type { EntityManager } from '@mikro-orm/sql';
import type { Actor } from '../auth/actor.js';
import type { CareEvents } from '../events/care-events.js';
import type { Logger } from '../logging/logger.js';
import type { PluginPatientDataHandlers } from '../plugins/plugin-patient-data.js';
import type { PatientAccess } from '../security/patient-access.js';
import type { WriteScope } from '../services/transaction.js';
import type { Loaders } from './loaders.js';

/**
 * HL7 v3 PurposeOfUse codes accepted in the `X-Purpose-Of-Use` header or token claim: treatment,
 * emergency treatment, payment, operations, research, patient request, system administration,
 * compliance (privacy-office work such as audit review).
 */
export const PURPOSES_OF_USE = [
  'TREAT',
  'ETREAT',
  'HPAYMT',
  'HOPERAT',
  'HRESCH',
  'PATRQT',
  'HSYSADMIN',
  'HCOMPL',
] as const;
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

/** Settings of the patient-rights services (retention, export links), from the config. */
export interface PatientRightsSettings {
  /** Years records are kept after the last clinical activity (and after majority for minors). */
  retentionYears: number;
  retentionMajorityAge: number;
  /** Lifetime of an export download link, in milliseconds. */
  exportTtlMs: number;
}

/** The defaults (10 years, majority at 18, 15-minute links). */
export const DEFAULT_PATIENT_RIGHTS: PatientRightsSettings = {
  retentionYears: 10,
  retentionMajorityAge: 18,
  exportTtlMs: 15 * 60_000,
};

/**
 * Everything one GraphQL operation (or one job) runs with: its own EntityManager and
 * DataLoaders, who is asking and why, the tenant, a child logger and the event bus.
 */
export interface RequestContext {
  requestId: string;
  /** Absent for anonymous requests (which shield rejects everywhere). */
  actor?: Actor;
  /** Tenant of the actor; absent for anonymous requests. */
  tenantId?: string;
  purposeOfUse: PurposeOfUse;
  clientAddress?: string;
  logger: Logger;
  events: CareEvents;
  /** Present when `tenantId` is; tenant-filtered and private to this request. */
  em?: EntityManager;
  loaders?: Loaders;
  /** Retention and export settings; DEFAULT_PATIENT_RIGHTS when absent. */
  patientRights?: PatientRightsSettings;
  /**
   * Relationship-based access decisions and the record of what was read, for signed-in actors.
   * A subscription gets a fresh one per delivered event.
   */
  access?: PatientAccess;
  /** Access policy settings from the configuration. */
  policy: AccessPolicySettings;
  /** The plugins' patient-data handlers (merge, erasure, export); none when absent. */
  patientData?: PluginPatientDataHandlers;
  /**
   * Set on the context of a write's services (`joinWrite`): a `write` with this context runs in
   * that write's transaction.
   */
  activeWrite?: WriteScope;
}

/** Settings of the access policy that come from the configuration. */
export interface AccessPolicySettings {
  /** How long a break-glass session lasts. */
  breakGlassMinutes: number;
}

/** A context for a signed-in actor: the fields that are optional on RequestContext are set. */
export type AuthenticatedContext = RequestContext & {
  actor: Actor;
  tenantId: string;
  em: EntityManager;
  loaders: Loaders;
  access: PatientAccess;
};
