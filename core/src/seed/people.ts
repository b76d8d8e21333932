import { AdministrativeGender, Role } from '@caregraph/schema';
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
  { key: 'bennett', kind: 'physician', prefix: ['Dr.'], given: ['Olivia'], family: 'Bennett', suffix: ['MD'], specialty: { code: '419772000', display: 'Family practice' }, schedulable: true },
  { key: 'reyes', kind: 'physician', prefix: ['Dr.'], given: ['Marcus'], family: 'Reyes', suffix: ['MD'], specialty: { code: '394579002', display: 'Cardiology' }, schedulable: true },
  { key: 'raman', kind: 'physician', prefix: ['Dr.'], given: ['Priya'], family: 'Raman', suffix: ['MD'], specialty: { code: '394583002', display: 'Endocrinology' }, schedulable: true },
  { key: 'kim', kind: 'nurse', prefix: [], given: ['Daniel'], family: 'Kim', suffix: ['RN'], specialty: { code: '224535009', display: 'Registered nurse' }, schedulable: true },
  { key: 'okafor', kind: 'nurse', prefix: [], given: ['Grace'], family: 'Okafor', suffix: ['RN'], specialty: { code: '224535009', display: 'Registered nurse' }, schedulable: true },
  { key: 'fernandez', kind: 'nurse', prefix: [], given: ['Lucía'], family: 'Fernández', suffix: ['NP'], specialty: { code: '224571005', display: 'Nurse practitioner' }, schedulable: true },
  { key: 'schultz', kind: 'coordinator', prefix: [], given: ['Hannah'], family: 'Schultz', suffix: [], specialty: { code: '768820003', display: 'Care coordinator' }, schedulable: false },
  { key: 'adeyemi', kind: 'behavioral', prefix: ['Dr.'], given: ['Samuel'], family: 'Adeyemi', suffix: ['MD'], specialty: { code: '394587001', display: 'Psychiatry' }, schedulable: true },
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

const LONGITUDINAL = { code: 'LA28865-6', display: 'Longitudinal care-coordination focused care team' };
const CONDITION_FOCUSED = { code: 'LA27978-8', display: 'Condition-focused care team' };

/** The five teams; primary-care teams come first and every patient is on one of them. */
export const CARE_TEAMS: readonly CareTeamDef[] = [
  {
    key: 'pc-a', name: 'Primary Care A', description: 'Family medicine panel of Dr. Bennett.', category: LONGITUDINAL, conditions: [],
    members: [
      { practitioner: 'bennett', role: TEAM_ROLES.pcp },
      { practitioner: 'kim', role: TEAM_ROLES.nurse },
      { practitioner: 'schultz', role: TEAM_ROLES.coordinator },
    ],
  },
  {
    key: 'pc-b', name: 'Primary Care B', description: 'Nurse-practitioner-led panel, supervised by Dr. Bennett.', category: LONGITUDINAL, conditions: [],
    members: [
      { practitioner: 'fernandez', role: TEAM_ROLES.nursePractitioner },
      { practitioner: 'okafor', role: TEAM_ROLES.nurse },
      { practitioner: 'bennett', role: TEAM_ROLES.pcp },
      { practitioner: 'schultz', role: TEAM_ROLES.coordinator },
    ],
  },
  {
    key: 'cardiology', name: 'Cardiology', description: 'Hypertension, lipids and rhythm clinic.', category: CONDITION_FOCUSED,
    conditions: ['atrialFibrillation', 'hypertension', 'hyperlipidemia'],
    members: [
      { practitioner: 'reyes', role: TEAM_ROLES.cardiologist },
      { practitioner: 'okafor', role: TEAM_ROLES.nurse },
    ],
  },
  {
    key: 'diabetes', name: 'Diabetes Program', description: 'Endocrinology-led diabetes management and education.', category: CONDITION_FOCUSED,
    conditions: ['diabetes'],
    members: [
      { practitioner: 'raman', role: TEAM_ROLES.endocrinologist },
      { practitioner: 'kim', role: TEAM_ROLES.nurse },
      { practitioner: 'bennett', role: TEAM_ROLES.pcp },
      { practitioner: 'schultz', role: TEAM_ROLES.coordinator },
    ],
  },
  {
    key: 'behavioral', name: 'Behavioral Health', description: 'Collaborative care for depression and anxiety.', category: CONDITION_FOCUSED,
    conditions: ['depression', 'anxiety'],
    members: [
      { practitioner: 'adeyemi', role: TEAM_ROLES.psychiatrist },
      { practitioner: 'schultz', role: TEAM_ROLES.coordinator },
    ],
  },
];

/** A hand-written patient placed at the start of the list (docs and tests rely on them). */
export interface FeaturedPatient {
  given: string[];
  family: string;
  gender: AdministrativeGender;
  age: number;
  language: string;
  cityIndex: number;
  conditions: ConditionKey[];
  primaryTeam: 'pc-a' | 'pc-b';
}

/** The first patients; the first one has the `patient` user account. */
export const FEATURED_PATIENTS: readonly FeaturedPatient[] = [
  { given: ['Emma', 'Grace'], family: 'Johnson', gender: AdministrativeGender.FEMALE, age: 58, language: 'en', cityIndex: 4, conditions: ['hypertension', 'diabetes'], primaryTeam: 'pc-a' },
  { given: ['José', 'Luis'], family: 'Núñez', gender: AdministrativeGender.MALE, age: 46, language: 'es', cityIndex: 10, conditions: ['diabetes', 'hyperlipidemia'], primaryTeam: 'pc-b' },
  { given: ['Zoë'], family: 'Ångström', gender: AdministrativeGender.FEMALE, age: 34, language: 'en', cityIndex: 0, conditions: ['asthma'], primaryTeam: 'pc-a' },
  { given: ['Thị', 'Lan'], family: 'Nguyễn', gender: AdministrativeGender.FEMALE, age: 67, language: 'vi', cityIndex: 12, conditions: ['hypertension', 'hyperlipidemia'], primaryTeam: 'pc-b' },
  { given: ['Wei'], family: 'Chen', gender: AdministrativeGender.MALE, age: 72, language: 'zh', cityIndex: 1, conditions: ['atrialFibrillation', 'hypertension'], primaryTeam: 'pc-a' },
  { given: ['Sofía'], family: 'Hernández', gender: AdministrativeGender.FEMALE, age: 7, language: 'es', cityIndex: 8, conditions: ['asthma'], primaryTeam: 'pc-b' },
  { given: ['Chloé'], family: 'Lefèvre-Martin', gender: AdministrativeGender.FEMALE, age: 29, language: 'en', cityIndex: 2, conditions: ['depression'], primaryTeam: 'pc-a' },
  { given: ['Liam'], family: "O'Connor", gender: AdministrativeGender.MALE, age: 81, language: 'en', cityIndex: 5, conditions: ['hypertension', 'osteoarthritis'], primaryTeam: 'pc-b' },
];

/** A US city with its time zone, ZIP prefix and a local area code. */
export interface CityDef {
  city: string;
  state: string;
  zipPrefix: string;
  areaCode: string;
  timeZone: string;
}

/** Cities patients live in (weighted towards the clinic's region by repetition). */
export const CITIES: readonly CityDef[] = [
  { city: 'New York', state: 'NY', zipPrefix: '100', areaCode: '212', timeZone: 'America/New_York' },
  { city: 'Boston', state: 'MA', zipPrefix: '021', areaCode: '617', timeZone: 'America/New_York' },
  { city: 'Atlanta', state: 'GA', zipPrefix: '303', areaCode: '404', timeZone: 'America/New_York' },
  { city: 'Columbus', state: 'OH', zipPrefix: '432', areaCode: '614', timeZone: 'America/New_York' },
  { city: 'Chicago', state: 'IL', zipPrefix: '606', areaCode: '312', timeZone: 'America/Chicago' },
  { city: 'Evanston', state: 'IL', zipPrefix: '602', areaCode: '847', timeZone: 'America/Chicago' },
  { city: 'Milwaukee', state: 'WI', zipPrefix: '532', areaCode: '414', timeZone: 'America/Chicago' },
  { city: 'Houston', state: 'TX', zipPrefix: '770', areaCode: '713', timeZone: 'America/Chicago' },
  { city: 'Denver', state: 'CO', zipPrefix: '802', areaCode: '303', timeZone: 'America/Denver' },
  { city: 'Albuquerque', state: 'NM', zipPrefix: '871', areaCode: '505', timeZone: 'America/Denver' },
  { city: 'Los Angeles', state: 'CA', zipPrefix: '900', areaCode: '213', timeZone: 'America/Los_Angeles' },
  { city: 'Seattle', state: 'WA', zipPrefix: '981', areaCode: '206', timeZone: 'America/Los_Angeles' },
  { city: 'San Jose', state: 'CA', zipPrefix: '951', areaCode: '408', timeZone: 'America/Los_Angeles' },
];

/** Romanised Vietnamese and Chinese names for the few patients who prefer those languages. */
export const EXTRA_NAMES: Record<'vi' | 'zh', { family: string[]; female: string[]; male: string[] }> = {
  vi: { family: ['Trần', 'Lê', 'Phạm', 'Võ', 'Đặng'], female: ['Thu', 'Hương', 'Mai', 'Ngọc'], male: ['Minh', 'Quang', 'Huy', 'Đức'] },
  zh: { family: ['Wang', 'Li', 'Zhang', 'Liu', 'Huang'], female: ['Mei', 'Xiu Ying', 'Li Na', 'Jing'], male: ['Jun', 'Hao', 'Lei', 'Zhi Wei'] },
};

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
export const INTEGRATION_USER = { email: `hl7-interface@${DEMO_EMAIL_DOMAIN}`, displayName: 'HL7 v2 interface engine' } as const;

/** User role of each practitioner kind. */
export const PRACTITIONER_ROLE: Record<PractitionerKind, Role> = {
  physician: Role.PHYSICIAN,
  nurse: Role.NURSE,
  coordinator: Role.CARE_COORDINATOR,
  behavioral: Role.PHYSICIAN,
};
