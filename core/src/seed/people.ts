import { Role } from '@caregraph/schema';
import type { CodeEntry, ConditionKey } from './catalog.js';

/** Tenant handle and display name of the demo clinic. */
export const DEMO_TENANT = { slug: 'demo-clinic', name: 'CareGraph Demo Clinic' } as const;

/** E-mail domain of the clinic's user accounts (`.example` is reserved: nothing real). */
export const DEMO_EMAIL_DOMAIN = 'demo-clinic.example';

/** Where the clinic is; appointment slots are in its local time. */
export const CLINIC_TIME_ZONE = 'America/Chicago';

/** Identifier systems of the demo clinic. */
export const IDENTIFIER_SYSTEMS = {
  mrn: 'urn:caregraph:demo-clinic:mrn',
  ssn: 'http://hl7.org/fhir/sid/us-ssn',
} as const;

/** What a practitioner does in the clinic; decides the user role and scheduling. */
export type PractitionerKind = 'physician' | 'nurse' | 'coordinator' | 'behavioral';

/** A practitioner of the demo clinic. */
export interface PractitionerDef {
  key: string;
  kind: PractitionerKind;
  prefix: string[];
  given: string[];
  family: string;
  suffix: string[];
  specialty: CodeEntry;
  /** Sees patients in scheduled visits. */
  schedulable: boolean;
}

/** The eight practitioners; the first physician and first nurse look after the first patient. */
export const PRACTITIONERS: readonly PractitionerDef[] = [
  {
    key: 'bennett',
    kind: 'physician',
    prefix: ['Dr.'],
    given: ['Olivia'],
    family: 'Bennett',
    suffix: ['MD'],
    specialty: { code: '419772000', display: 'Family practice' },
    schedulable: true,
  },
  {
    key: 'reyes',
    kind: 'physician',
    prefix: ['Dr.'],
    given: ['Marcus'],
    family: 'Reyes',
    suffix: ['MD'],
    specialty: { code: '394579002', display: 'Cardiology' },
    schedulable: true,
  },
  {
    key: 'raman',
    kind: 'physician',
    prefix: ['Dr.'],
    given: ['Priya'],
    family: 'Raman',
    suffix: ['MD'],
    specialty: { code: '394583002', display: 'Endocrinology' },
    schedulable: true,
  },
  {
    key: 'kim',
    kind: 'nurse',
    prefix: [],
    given: ['Daniel'],
    family: 'Kim',
    suffix: ['RN'],
    specialty: { code: '224535009', display: 'Registered nurse' },
    schedulable: true,
  },
  {
    key: 'okafor',
    kind: 'nurse',
    prefix: [],
    given: ['Grace'],
    family: 'Okafor',
    suffix: ['RN'],
    specialty: { code: '224535009', display: 'Registered nurse' },
    schedulable: true,
  },
  {
    key: 'fernandez',
    kind: 'nurse',
    prefix: [],
    given: ['Lucía'],
    family: 'Fernández',
    suffix: ['NP'],
    specialty: { code: '224571005', display: 'Nurse practitioner' },
    schedulable: true,
  },
  {
    key: 'schultz',
    kind: 'coordinator',
    prefix: [],
    given: ['Hannah'],
    family: 'Schultz',
    suffix: [],
    specialty: { code: '768820003', display: 'Care coordinator' },
    schedulable: false,
  },
  {
    key: 'adeyemi',
    kind: 'behavioral',
    prefix: ['Dr.'],
    given: ['Samuel'],
    family: 'Adeyemi',
    suffix: ['MD'],
    specialty: { code: '394587001', display: 'Psychiatry' },
    schedulable: true,
  },
];

/** Care-team member roles (SNOMED CT). */
export const TEAM_ROLES = {
  pcp: { code: '446050000', display: 'Primary care physician' },
  nurse: { code: '224535009', display: 'Registered nurse' },
  nursePractitioner: { code: '224571005', display: 'Nurse practitioner' },
  cardiologist: { code: '17561000', display: 'Cardiologist' },
  endocrinologist: { code: '61894003', display: 'Endocrinologist' },
  psychiatrist: { code: '80584001', display: 'Psychiatrist' },
  coordinator: { code: '768820003', display: 'Care coordinator' },
} as const;

/** A care team, its members and which patients it enrols. */
export interface CareTeamDef {
  key: string;
  name: string;
  description: string;
  /** LOINC LL2854-5 care-team category. */
  category: CodeEntry;
  members: readonly { practitioner: string; role: CodeEntry }[];
  /** Patients with one of these conditions are enrolled as their second team. */
  conditions: readonly ConditionKey[];
}

const LONGITUDINAL = {
  code: 'LA28865-6',
  display: 'Longitudinal care-coordination focused care team',
};
const CONDITION_FOCUSED = { code: 'LA27978-8', display: 'Condition-focused care team' };

/** The five teams; primary-care teams come first and every patient is on one of them. */
export const CARE_TEAMS: readonly CareTeamDef[] = [
  {
    key: 'pc-a',
    name: 'Primary Care A',
    description: 'Family medicine panel of Dr. Bennett.',
    category: LONGITUDINAL,
    conditions: [],
    members: [
      { practitioner: 'bennett', role: TEAM_ROLES.pcp },
      { practitioner: 'kim', role: TEAM_ROLES.nurse },
      { practitioner: 'schultz', role: TEAM_ROLES.coordinator },
    ],
  },
  {
    key: 'pc-b',
    name: 'Primary Care B',
    description: 'Nurse-practitioner-led panel, supervised by Dr. Bennett.',
    category: LONGITUDINAL,
    conditions: [],
    members: [
      { practitioner: 'fernandez', role: TEAM_ROLES.nursePractitioner },
      { practitioner: 'okafor', role: TEAM_ROLES.nurse },
      { practitioner: 'bennett', role: TEAM_ROLES.pcp },
      { practitioner: 'schultz', role: TEAM_ROLES.coordinator },
    ],
  },
  {
    key: 'cardiology',
    name: 'Cardiology',
    description: 'Hypertension, lipids and rhythm clinic.',
    category: CONDITION_FOCUSED,
    conditions: ['atrialFibrillation', 'hypertension', 'hyperlipidemia'],
    members: [
      { practitioner: 'reyes', role: TEAM_ROLES.cardiologist },
      { practitioner: 'okafor', role: TEAM_ROLES.nurse },
    ],
  },
  {
    key: 'diabetes',
    name: 'Diabetes Program',
    description: 'Endocrinology-led diabetes management and education.',
    category: CONDITION_FOCUSED,
    conditions: ['diabetes'],
    members: [
      { practitioner: 'raman', role: TEAM_ROLES.endocrinologist },
      { practitioner: 'kim', role: TEAM_ROLES.nurse },
      { practitioner: 'bennett', role: TEAM_ROLES.pcp },
      { practitioner: 'schultz', role: TEAM_ROLES.coordinator },
    ],
  },
  {
    key: 'behavioral',
    name: 'Behavioral Health',
    description: 'Collaborative care for depression and anxiety.',
    category: CONDITION_FOCUSED,
    conditions: ['depression', 'anxiety'],
    members: [
      { practitioner: 'adeyemi', role: TEAM_ROLES.psychiatrist },
      { practitioner: 'schultz', role: TEAM_ROLES.coordinator },
    ],
  },
];

/** A user account that is not tied to a practitioner or patient. */
export interface StaffUserDef {
  local: string;
  displayName: string;
  role: Role;
}

/** Staff accounts; created in this order with the practitioner, patient and integration users. */
export const STAFF_USERS: readonly StaffUserDef[] = [
  { local: 'admin', displayName: 'Jordan Lee', role: Role.ADMIN },
  { local: 'maya.patel', displayName: 'Maya Patel', role: Role.FRONT_DESK },
  { local: 'robert.walsh', displayName: 'Robert Walsh', role: Role.BILLING },
  { local: 'ethan.brooks', displayName: 'Ethan Brooks', role: Role.ANALYST },
];

/** The integration account of the HL7 v2 interface engine. */
export const INTEGRATION_USER = {
  email: `hl7-interface@${DEMO_EMAIL_DOMAIN}`,
  displayName: 'HL7 v2 interface engine',
} as const;

/** User role of each practitioner kind. */
export const PRACTITIONER_ROLE: Record<PractitionerKind, Role> = {
  physician: Role.PHYSICIAN,
  nurse: Role.NURSE,
  coordinator: Role.CARE_COORDINATOR,
  behavioral: Role.PHYSICIAN,
};
