import { or } from 'graphql-shield';
import { Role } from '@caregraph/schema';
import { CLINICAL_ROLES, PATIENT_LOOKUP_ROLES } from './access.js';
import {
  allow,
  hasRole,
  isAuthenticated,
  isPatientThemself,
  type RuleTypeMap,
  type ShieldRule,
} from './rules.js';

const { ADMIN, BILLING, FRONT_DESK, INTEGRATION } = Role;

/** The parent Patient is the caller themself. */
const isThisPatient = isPatientThemself('parent', (parent) => (parent as { id?: string }).id);
/** The `id` argument is the caller themself. */
const isPatientArg = isPatientThemself('args.id', (_parent, args) => args.id);
/** `input.patientId` is the caller themself. */
const isPatientInput = isPatientThemself(
  'args.input.patientId',
  (_p, args) => (args.input as { patientId?: string } | undefined)?.patientId,
);

const lookup = hasRole(...PATIENT_LOOKUP_ROLES);
const clinical = hasRole(...CLINICAL_ROLES);

/** Who may read each category of a patient's data (refined with care relationships in #3). */
export const PATIENT_DATA: Record<
  'demographics' | 'contact' | 'clinical' | 'scheduling' | 'coverage' | 'careRelations',
  ShieldRule
> = {
  demographics: or(lookup, isThisPatient),
  contact: or(lookup, isThisPatient),
  clinical: or(clinical, isThisPatient),
  scheduling: or(clinical, hasRole(FRONT_DESK, ADMIN), isThisPatient),
  coverage: or(clinical, hasRole(BILLING, FRONT_DESK), isThisPatient),
  careRelations: or(clinical, hasRole(FRONT_DESK, ADMIN), isThisPatient),
};

/** Which patient fields are in which category. Every field of Patient must appear. */
export const PATIENT_FIELD_CATEGORIES: Record<string, keyof typeof PATIENT_DATA> = {
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
  careTeams: 'careRelations',
  consents: 'careRelations',
  appointments: 'scheduling',
  coverages: 'coverage',
  encounters: 'clinical',
  observations: 'clinical',
  conditions: 'clinical',
  medications: 'clinical',
  medicationRequests: 'clinical',
  allergies: 'clinical',
  immunizations: 'clinical',
  carePlans: 'clinical',
  tasks: 'clinical',
  communications: 'clinical',
  timeline: 'clinical',
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
] as const;

/** Record types: readable by any signed-in user who reached them through a guarded field. */
export const RECORD_TYPES = [
  'User',
  'Practitioner',
  'PatientIdentifier',
  'RelatedPerson',
  'CareTeam',
  'CareTeamMember',
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
] as const;

/**
 * PATIENT RIGHTS (issue 3: GDPR/HIPAA access, portability, erasure, legal holds).
 * One block, to be folded into the role x data category x action x purpose matrix:
 * - exportPatientData: the patient themself (`args.patientId`) or an admin;
 * - erasePatient, placeLegalHold, releaseLegalHold, legalHolds: admin only;
 * - the result types are reachable only through those fields.
 * The download route (GET /fhir/exports/:id) re-checks admin-or-self for the token's user.
 */
function addPatientRightsPermissions(map: RuleTypeMap): void {
  const isPatientIdArg = isPatientThemself('args.patientId', (_p, args) => args.patientId);
  Object.assign(map.Query as Record<string, ShieldRule>, {
    legalHolds: hasRole(ADMIN),
  });
  Object.assign(map.Mutation as Record<string, ShieldRule>, {
    exportPatientData: or(hasRole(ADMIN), isPatientIdArg),
    erasePatient: hasRole(ADMIN),
    placeLegalHold: hasRole(ADMIN),
    releaseLegalHold: hasRole(ADMIN),
  });
  map.PatientExport = isAuthenticated;
  map.PatientErasure = hasRole(ADMIN);
  map.LegalHold = hasRole(ADMIN);
}

/**
 * The graphql-shield rule map. Deny is the fallback: a field missing here is refused, and a
 * test fails on any field without an explicit rule (a field rule or its type's `*` rule).
 */
export function buildPermissions(connectionTypeNames: string[]): RuleTypeMap {
  const map: RuleTypeMap = {
    Query: {
      me: isAuthenticated,
      patient: or(lookup, isPatientArg),
      patients: lookup,
      patientByIdentifier: lookup,
      practitioners: isAuthenticated,
      careTeam: hasRole(ADMIN, FRONT_DESK, ...CLINICAL_ROLES),
      careTeams: hasRole(ADMIN, FRONT_DESK, ...CLINICAL_ROLES),
      appointments: hasRole(ADMIN, FRONT_DESK, ...CLINICAL_ROLES),
      auditEvents: hasRole(ADMIN),
    },
    Mutation: {
      createPatient: hasRole(ADMIN, FRONT_DESK, INTEGRATION, ...CLINICAL_ROLES),
      updatePatient: hasRole(ADMIN, FRONT_DESK, INTEGRATION, ...CLINICAL_ROLES),
      mergePatients: hasRole(ADMIN, INTEGRATION),
      addCareTeamMember: hasRole(ADMIN, Role.CARE_COORDINATOR),
      removeCareTeamMember: hasRole(ADMIN, Role.CARE_COORDINATOR),
      bookAppointment: hasRole(FRONT_DESK, INTEGRATION, ...CLINICAL_ROLES),
      cancelAppointment: hasRole(FRONT_DESK, INTEGRATION, ...CLINICAL_ROLES),
      setAppointmentStatus: hasRole(FRONT_DESK, INTEGRATION, ...CLINICAL_ROLES),
      createTask: hasRole(FRONT_DESK, ...CLINICAL_ROLES),
      completeTask: hasRole(FRONT_DESK, ...CLINICAL_ROLES),
      recordConsent: or(hasRole(FRONT_DESK, ADMIN, ...CLINICAL_ROLES), isPatientInput),
      revokeConsent: hasRole(FRONT_DESK, ADMIN, ...CLINICAL_ROLES),
    },
    Subscription: {
      careTeamFeed: isAuthenticated,
      patientEvents: isAuthenticated,
    },
    Patient: Object.fromEntries(
      Object.entries(PATIENT_FIELD_CATEGORIES).map(([field, category]) => [
        field,
        PATIENT_DATA[category],
      ]),
    ),
  };
  addPatientRightsPermissions(map);
  for (const type of VALUE_TYPES) map[type] = allow;
  for (const type of RECORD_TYPES) map[type] = isAuthenticated;
  for (const type of connectionTypeNames) map[type] = allow;
  return map;
}
