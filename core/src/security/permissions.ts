import type { DataCategory } from './access-matrix.js';
import { ROOT_FIELD_ACCESS, type RootFieldAccess } from './root-field-access.js';
import {
  allow,
  hasRole,
  isAuthenticated,
  matrixAllows,
  patientArgument,
  patientCategory,
  type RuleTypeMap,
  type ShieldRule,
} from './rules.js';

/** Which data category each field of Patient belongs to. Every field of Patient must appear. */
export const PATIENT_FIELD_CATEGORIES: Record<string, DataCategory> = {
  id: 'demographics',
  createdAt: 'demographics',
  updatedAt: 'demographics',
  active: 'demographics',
  names: 'demographics',
  name: 'demographics',
  gender: 'demographics',
  birthDate: 'demographics',
  deceased: 'demographics',
  deceasedAt: 'demographics',
  identifiers: 'demographics',
  replacedBy: 'demographics',
  replaces: 'demographics',
  telecom: 'contact',
  address: 'contact',
  preferredLanguage: 'contact',
  timeZone: 'contact',
  relatedPersons: 'contact',
  appointments: 'scheduling',
  careTeams: 'careRelations',
  consents: 'careRelations',
  coverages: 'coverage',
  communications: 'communications',
  encounters: 'clinical',
  observations: 'clinical',
  conditions: 'clinical',
  medications: 'clinical',
  medicationRequests: 'clinical',
  allergies: 'clinical',
  immunizations: 'clinical',
  carePlans: 'clinical',
  tasks: 'clinical',
  timeline: 'clinical',
  accessLog: 'audit',
};

/** Types that only carry values reachable through a guarded parent field. */
export const VALUE_TYPES = [
  'HumanName',
  'ContactPoint',
  'Address',
  'CodedConcept',
  'AppointmentParticipant',
  'PageInfo',
  'TimelineEntry',
  'AccessLogEntry',
  'PopulationSummary',
  'AggregateBucket',
] as const;

/** Record types: readable by any signed-in user who reached them through a guarded field. */
export const RECORD_TYPES = [
  'User',
  'Practitioner',
  'PatientIdentifier',
  'RelatedPerson',
  'CareTeam',
  'CareTeamMember',
  'CareTeamPatient',
  'Encounter',
  'Appointment',
  'Observation',
  'Condition',
  'MedicationStatement',
  'MedicationRequest',
  'AllergyIntolerance',
  'Immunization',
  'Coverage',
  'CarePlan',
  'CarePlanGoal',
  'CarePlanActivity',
  'Task',
  'Communication',
  'Consent',
  'AuditEvent',
  'CareEvent',
  'BreakGlassSession',
  // Patient rights (issue 3): reached only through their admin or export root fields.
  'LegalHold',
  'PatientExport',
  'PatientErasure',
  // Plugin statuses (issue 4): reached only through the admin `plugins` query.
  'PluginStatus',
] as const;

/** The shield rule of a root field's access spec. */
export function ruleOf(access: RootFieldAccess): ShieldRule {
  switch (access.kind) {
    case 'authenticated':
      return isAuthenticated;
    case 'matrix':
      return matrixAllows(access.category, access.action, access.reach);
    case 'patient':
      return patientArgument(access.path, access.category, access.action);
    case 'roles':
      return hasRole(...access.roles);
  }
}

/**
 * The graphql-shield rule map, built from the permission matrix (access-matrix.ts) and the
 * root-field table (root-field-access.ts). Deny is the fallback: a field missing here is
 * refused, and a test fails on any field without an explicit rule.
 */
export function buildPermissions(connectionTypeNames: string[]): RuleTypeMap {
  const map: RuleTypeMap = {};
  for (const [type, fields] of Object.entries(ROOT_FIELD_ACCESS)) {
    map[type] = Object.fromEntries(
      Object.entries(fields).map(([field, access]) => [field, ruleOf(access)]),
    );
  }
  map.Patient = Object.fromEntries(
    Object.entries(PATIENT_FIELD_CATEGORIES).map(([field, category]) => [
      field,
      patientCategory(category),
    ]),
  );
  for (const type of VALUE_TYPES) map[type] = allow;
  for (const type of RECORD_TYPES) map[type] = isAuthenticated;
  for (const type of connectionTypeNames) map[type] = allow;
  return map;
}

/**
 * Adds plugin rules to a rule map. A type with one rule for all its fields is expanded to a rule
 * per field when a plugin adds a field to it, so core's fields keep their rule.
 */
export function mergeRuleMaps(
  base: RuleTypeMap,
  extra: RuleTypeMap,
  fieldsOf: (type: string) => string[] = () => [],
): RuleTypeMap {
  const merged: RuleTypeMap = { ...base };
  for (const [type, rules] of Object.entries(extra)) {
    const current = merged[type];
    if (!current) {
      merged[type] = rules;
      continue;
    }
    const expanded =
      typeof current === 'object' && !isRule(current)
        ? { ...current }
        : Object.fromEntries(fieldsOf(type).map((field) => [field, current]));
    merged[type] = { ...expanded, ...(rules as Record<string, ShieldRule>) };
  }
  return merged;
}

/** Whether a rule map entry is a rule (graphql-shield rules are class instances with a name). */
function isRule(entry: ShieldRule | Record<string, ShieldRule>): entry is ShieldRule {
  return typeof (entry as { resolve?: unknown }).resolve === 'function';
}
