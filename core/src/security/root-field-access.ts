import { Role } from '@caregraph/schema';
import { ACCESS_MATRIX, type AccessAction, type DataCategory } from './access-matrix.js';
import type { AccessReach } from './access-policy.js';

/**
 * Who may call a root field: the single source for its shield rule, its line in
 * docs/security.md and its rows in the authorization matrix suite.
 */
export type RootFieldAccess =
  /** Any signed-in user (what they get back is filtered per patient). */
  | { kind: 'authenticated' }
  /** The matrix grants `action` on `category` with the given reach. */
  | { kind: 'matrix'; category: DataCategory; action: AccessAction; reach: AccessReach }
  /** The matrix grants `action` on `category` of the patient whose id is at `path`. */
  | { kind: 'patient'; category: DataCategory; action: AccessAction; path: string }
  /** Holders of one of these roles, whatever the purpose (care-team administration). */
  | { kind: 'roles'; roles: readonly Role[] };

/** Roles whose clinical access goes through care teams; they are the ones who may break the glass. */
export const CARE_TEAM_ROLES: readonly Role[] = Object.values(Role).filter(
  (role) => ACCESS_MATRIX[role].clinical?.read?.scope === 'careTeam',
);

const matrix = (
  category: DataCategory,
  action: AccessAction,
  reach: AccessReach = 'any',
): RootFieldAccess => ({ kind: 'matrix', category, action, reach });
const patient = (category: DataCategory, action: AccessAction, path: string): RootFieldAccess => ({
  kind: 'patient',
  category,
  action,
  path,
});

/** Every root field and who may call it. A root field missing here is denied (and a test fails). */
export const ROOT_FIELD_ACCESS: Readonly<
  Record<string, Readonly<Record<string, RootFieldAccess>>>
> = {
  Query: {
    me: { kind: 'authenticated' },
    patient: patient('demographics', 'read', 'id'),
    patients: matrix('demographics', 'read', 'tenant'),
    patientByIdentifier: matrix('demographics', 'read', 'tenant'),
    practitioners: { kind: 'authenticated' },
    careTeam: matrix('careRelations', 'read', 'staff'),
    careTeams: matrix('careRelations', 'read', 'staff'),
    appointments: matrix('scheduling', 'read', 'staff'),
    auditEvents: matrix('audit', 'read', 'tenant'),
    auditEventBundle: matrix('audit', 'read', 'tenant'),
    breakGlassSessions: matrix('audit', 'read', 'tenant'),
    populationSummary: matrix('aggregates', 'read', 'tenant'),
    // Patient rights (issue 3): legal holds are administered by admins.
    legalHolds: { kind: 'roles', roles: [Role.ADMIN] },
    // Plugin statuses (issue 4): operational detail for admins.
    plugins: { kind: 'roles', roles: [Role.ADMIN] },
  },
  Mutation: {
    createPatient: matrix('demographics', 'write'),
    updatePatient: matrix('demographics', 'write'),
    mergePatients: matrix('demographics', 'write', 'tenant'),
    addCareTeamMember: { kind: 'roles', roles: [Role.ADMIN, Role.CARE_COORDINATOR] },
    removeCareTeamMember: { kind: 'roles', roles: [Role.ADMIN, Role.CARE_COORDINATOR] },
    bookAppointment: patient('scheduling', 'write', 'input.patientId'),
    cancelAppointment: matrix('scheduling', 'write'),
    rescheduleAppointment: matrix('scheduling', 'write'),
    setAppointmentStatus: matrix('scheduling', 'write'),
    createTask: patient('clinical', 'write', 'input.patientId'),
    completeTask: matrix('clinical', 'write'),
    // Releasing a result to the patient is a clinician's judgement (not a coordinator's); the
    // service also requires clinical write through a care relationship.
    releaseLabResult: { kind: 'roles', roles: [Role.PHYSICIAN, Role.NURSE] },
    recordConsent: patient('careRelations', 'write', 'input.patientId'),
    revokeConsent: matrix('careRelations', 'write'),
    breakGlass: { kind: 'roles', roles: CARE_TEAM_ROLES },
    reviewBreakGlassSession: matrix('audit', 'write', 'tenant'),
    // Patient rights (issue 3): access and portability is the matrix's `export` action (the
    // patient themself, or an admin for compliance); erasure and legal holds are admin-only.
    exportPatientData: patient('clinical', 'export', 'patientId'),
    erasePatient: { kind: 'roles', roles: [Role.ADMIN] },
    placeLegalHold: { kind: 'roles', roles: [Role.ADMIN] },
    releaseLegalHold: { kind: 'roles', roles: [Role.ADMIN] },
  },
  Subscription: {
    careTeamFeed: { kind: 'authenticated' },
    patientEvents: { kind: 'authenticated' },
    privacyFeed: matrix('audit', 'read', 'tenant'),
  },
};

/** One line of documentation for a root field's access. */
export function describeRootFieldAccess(access: RootFieldAccess): string {
  switch (access.kind) {
    case 'authenticated':
      return 'any signed-in user; results filtered per patient';
    case 'matrix':
      return `${access.action} \`${access.category}\`${
        access.reach === 'tenant'
          ? ' for the whole tenant'
          : access.reach === 'staff'
            ? ' as staff (tenant or care-team scope)'
            : ' (any scope; checked per patient)'
      }`;
    case 'patient':
      return `${access.action} \`${access.category}\` of the patient \`${access.path}\``;
    case 'roles':
      return `roles: ${access.roles.join(', ')}`;
  }
}
