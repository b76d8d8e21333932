/**
 * Value tables of the graphql-read generator: names, codes (LOINC, SNOMED CT, RxNorm) and
 * reference ranges, passed to PostgreSQL as parallel arrays so rows are built server-side.
 */

export const FEMALE_GIVEN = [
  'Emma',
  'Olivia',
  'Ava',
  'Sophia',
  'Isabella',
  'Mia',
  'Charlotte',
  'Amelia',
  'Harper',
  'Evelyn',
  'Abigail',
  'Emily',
  'Elizabeth',
  'Sofia',
  'Avery',
  'Ella',
  'Scarlett',
  'Grace',
  'Chloe',
  'Victoria',
  'Maria',
  'Ana',
  'Lucia',
  'Camila',
  'Valentina',
  'Aaliyah',
  'Priya',
  'Mei',
  'Fatima',
  'Nora',
];

export const MALE_GIVEN = [
  'Liam',
  'Noah',
  'William',
  'James',
  'Oliver',
  'Benjamin',
  'Elijah',
  'Lucas',
  'Mason',
  'Logan',
  'Alexander',
  'Ethan',
  'Jacob',
  'Michael',
  'Daniel',
  'Henry',
  'Jackson',
  'Sebastian',
  'Aiden',
  'Matthew',
  'Jose',
  'Luis',
  'Carlos',
  'Juan',
  'Diego',
  'Omar',
  'Raj',
  'Wei',
  'Kwame',
  'Samuel',
];

export const FAMILY_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Patel',
  'Kim',
  'Chen',
  'Okafor',
  'Mensah',
  'Cohen',
  'Murphy',
  'Rossi',
  'Novak',
  'Schmidt',
];

export const STREETS = [
  'Oak',
  'Maple',
  'Cedar',
  'Pine',
  'Elm',
  'Washington',
  'Lake',
  'Hill',
  'Park',
  'Sunset',
  'Lincoln',
  'Jefferson',
];

/** City, state, ZIP prefix. */
export const CITIES: [string, string, string][] = [
  ['Chicago', 'IL', '606'],
  ['Evanston', 'IL', '602'],
  ['Oak Park', 'IL', '603'],
  ['Milwaukee', 'WI', '532'],
  ['Gary', 'IN', '464'],
  ['Naperville', 'IL', '605'],
];

/** Roles on a care team (SNOMED CT). */
export const CARE_TEAM_ROLES = [
  { code: '446050000', display: 'Primary care physician' },
  { code: '224535009', display: 'Registered nurse' },
  { code: '768730001', display: 'Care coordinator' },
  { code: '46255001', display: 'Pharmacist' },
  { code: '159033005', display: 'Dietitian' },
  { code: '106328005', display: 'Social worker' },
];

/** Practitioner specialties (SNOMED CT). */
export const SPECIALTIES = [
  { code: '419772000', display: 'Family practice' },
  { code: '394579002', display: 'Cardiology' },
  { code: '394583002', display: 'Endocrinology' },
  { code: '394589003', display: 'Nephrology' },
  { code: '418112009', display: 'Pulmonary medicine' },
  { code: '394802001', display: 'General medicine' },
];

/** Appointment service types (SNOMED CT). */
export const SERVICE_TYPES = [
  { code: '185349003', display: 'Encounter for check up' },
  { code: '448337001', display: 'Telemedicine consultation with patient' },
  { code: '390906007', display: 'Follow-up encounter' },
  { code: '410620009', display: 'Well child visit' },
  { code: '185347001', display: 'Encounter for problem' },
];

/** An observation code with its unit, reference range and a plausible distribution. */
export interface ObservationCode {
  code: string;
  display: string;
  unit: string;
  category: 'vital-signs' | 'laboratory';
  low: number;
  high: number;
  mean: number;
  spread: number;
}

/** Vital signs recorded at every visit (LOINC). */
export const VITALS: ObservationCode[] = [
  {
    code: '8480-6',
    display: 'Systolic blood pressure',
    unit: 'mm[Hg]',
    category: 'vital-signs',
    low: 90,
    high: 129,
    mean: 126,
    spread: 22,
  },
  {
    code: '8462-4',
    display: 'Diastolic blood pressure',
    unit: 'mm[Hg]',
    category: 'vital-signs',
    low: 60,
    high: 79,
    mean: 78,
    spread: 12,
  },
  {
    code: '8867-4',
    display: 'Heart rate',
    unit: '/min',
    category: 'vital-signs',
    low: 60,
    high: 100,
    mean: 76,
    spread: 16,
  },
  {
    code: '29463-7',
    display: 'Body weight',
    unit: 'kg',
    category: 'vital-signs',
    low: 45,
    high: 100,
    mean: 82,
    spread: 20,
  },
  {
    code: '39156-5',
    display: 'Body mass index (BMI) [Ratio]',
    unit: 'kg/m2',
    category: 'vital-signs',
    low: 18.5,
    high: 24.9,
    mean: 27.5,
    spread: 6,
  },
];

/** Laboratory results (LOINC); five of them rotate at each visit. */
export const LABS: ObservationCode[] = [
  {
    code: '2345-7',
    display: 'Glucose [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    category: 'laboratory',
    low: 70,
    high: 99,
    mean: 108,
    spread: 35,
  },
  {
    code: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    category: 'laboratory',
    low: 4,
    high: 5.6,
    mean: 6.1,
    spread: 1.6,
  },
  {
    code: '2160-0',
    display: 'Creatinine [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    category: 'laboratory',
    low: 0.6,
    high: 1.3,
    mean: 1.05,
    spread: 0.45,
  },
  {
    code: '2951-2',
    display: 'Sodium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    category: 'laboratory',
    low: 135,
    high: 145,
    mean: 140,
    spread: 5,
  },
  {
    code: '2823-3',
    display: 'Potassium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    category: 'laboratory',
    low: 3.5,
    high: 5.1,
    mean: 4.3,
    spread: 0.8,
  },
  {
    code: '2093-3',
    display: 'Cholesterol [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    category: 'laboratory',
    low: 125,
    high: 200,
    mean: 195,
    spread: 40,
  },
  {
    code: '18262-6',
    display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
    unit: 'mg/dL',
    category: 'laboratory',
    low: 0,
    high: 100,
    mean: 112,
    spread: 35,
  },
  {
    code: '2085-9',
    display: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    category: 'laboratory',
    low: 40,
    high: 90,
    mean: 52,
    spread: 14,
  },
  {
    code: '2571-8',
    display: 'Triglyceride [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    category: 'laboratory',
    low: 0,
    high: 150,
    mean: 140,
    spread: 60,
  },
  {
    code: '718-7',
    display: 'Hemoglobin [Mass/volume] in Blood',
    unit: 'g/dL',
    category: 'laboratory',
    low: 12,
    high: 17.5,
    mean: 14,
    spread: 2,
  },
  {
    code: '33914-3',
    display:
      'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)',
    unit: 'mL/min/{1.73_m2}',
    category: 'laboratory',
    low: 60,
    high: 120,
    mean: 82,
    spread: 25,
  },
  {
    code: '3016-3',
    display: 'Thyrotropin [Units/volume] in Serum or Plasma',
    unit: 'm[IU]/L',
    category: 'laboratory',
    low: 0.4,
    high: 4,
    mean: 2.2,
    spread: 1.8,
  },
];

/** Problems (SNOMED CT). */
export const CONDITIONS = [
  { code: '38341003', display: 'Hypertension' },
  { code: '44054006', display: 'Type 2 diabetes mellitus' },
  { code: '55822004', display: 'Hyperlipidemia' },
  { code: '195967001', display: 'Asthma' },
  { code: '433144002', display: 'Chronic kidney disease stage 3' },
  { code: '35489007', display: 'Depressive disorder' },
  { code: '396275006', display: 'Osteoarthritis' },
  { code: '235595009', display: 'Gastroesophageal reflux disease' },
  { code: '40930008', display: 'Hypothyroidism' },
  { code: '414916001', display: 'Obesity' },
];

/** Medications (RxNorm) with a sig. */
export const MEDICATIONS = [
  {
    code: '314076',
    display: 'lisinopril 10 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth once daily',
  },
  {
    code: '860975',
    display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
    dosage: 'Take 2 tablets by mouth once daily with the evening meal',
  },
  {
    code: '617312',
    display: 'atorvastatin 20 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth at bedtime',
  },
  {
    code: '966222',
    display: 'levothyroxine sodium 0.05 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth every morning on an empty stomach',
  },
  {
    code: '197361',
    display: 'amlodipine 5 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth once daily',
  },
  {
    code: '745679',
    display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    dosage: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing',
  },
  {
    code: '198053',
    display: 'omeprazole 20 MG Delayed Release Oral Capsule',
    dosage: 'Take 1 capsule by mouth before breakfast',
  },
  {
    code: '312940',
    display: 'sertraline 50 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth once daily',
  },
  {
    code: '310798',
    display: 'hydrochlorothiazide 25 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth every morning',
  },
];

/** Picks field `key` of every entry, as a text array parameter. */
export function column<T, K extends keyof T>(rows: readonly T[], key: K): string[] {
  return rows.map((row) => String(row[key]));
}
