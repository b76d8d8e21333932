/**
 * Code tables of the demo clinic: conditions (SNOMED CT), medications (RxNorm), allergies,
 * vaccines (CVX), lab tests and vital signs (LOINC), care-plan templates and payers.
 * Plain data; `clinical.ts` turns them into records.
 */

/** Terminology URIs. */
export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  coverageSelfPay: 'http://terminology.hl7.org/CodeSystem/coverage-selfpay',
} as const;

/** A code without its system (the table says which system). */
export interface CodeEntry {
  code: string;
  display: string;
}

/** Condition keys used to link conditions, medications, labs, teams and care plans. */
export type ConditionKey =
  | 'hypertension'
  | 'diabetes'
  | 'asthma'
  | 'hyperlipidemia'
  | 'depression'
  | 'anxiety'
  | 'hypothyroidism'
  | 'osteoarthritis'
  | 'obesity'
  | 'atrialFibrillation'
  | 'viralSinusitis'
  | 'acuteBronchitis'
  | 'otitisMedia';

/** A condition the generator can give a patient. */
export interface ConditionDef extends CodeEntry {
  key: ConditionKey;
  /** Chronic conditions stay active; acute ones are resolved with an abatement date. */
  chronic: boolean;
  /** Minimum age at which the condition is assigned at random. */
  minAge: number;
  /** Relative weight for random assignment in adults (children use `childWeight`). */
  weight: number;
  childWeight?: number;
  /** v3 confidentiality labels, e.g. PSY for mental health. */
  securityLabels?: string[];
}

/** Problem-list entries (SNOMED CT). */
export const CONDITIONS: readonly ConditionDef[] = [
  { key: 'hypertension', code: '38341003', display: 'Hypertension', chronic: true, minAge: 25, weight: 30 },
  { key: 'diabetes', code: '44054006', display: 'Type 2 diabetes mellitus', chronic: true, minAge: 25, weight: 18 },
  { key: 'asthma', code: '195967001', display: 'Asthma', chronic: true, minAge: 1, weight: 8, childWeight: 40 },
  { key: 'hyperlipidemia', code: '55822004', display: 'Hyperlipidemia', chronic: true, minAge: 30, weight: 22 },
  { key: 'depression', code: '35489007', display: 'Depressive disorder', chronic: true, minAge: 14, weight: 10, securityLabels: ['PSY'] },
  { key: 'anxiety', code: '197480006', display: 'Anxiety disorder', chronic: true, minAge: 14, weight: 6, securityLabels: ['PSY'] },
  { key: 'hypothyroidism', code: '40930008', display: 'Hypothyroidism', chronic: true, minAge: 20, weight: 6 },
  { key: 'osteoarthritis', code: '396275006', display: 'Osteoarthritis', chronic: true, minAge: 45, weight: 8 },
  { key: 'obesity', code: '414916001', display: 'Obesity', chronic: true, minAge: 18, weight: 8 },
  { key: 'atrialFibrillation', code: '49436004', display: 'Atrial fibrillation', chronic: true, minAge: 60, weight: 5 },
  { key: 'viralSinusitis', code: '444814009', display: 'Viral sinusitis', chronic: false, minAge: 1, weight: 6, childWeight: 15 },
  { key: 'acuteBronchitis', code: '10509002', display: 'Acute bronchitis', chronic: false, minAge: 1, weight: 4, childWeight: 15 },
  { key: 'otitisMedia', code: '65363002', display: 'Otitis media', chronic: false, minAge: 1, weight: 0, childWeight: 30 },
];

/** A medication with its usual dosage instructions. */
export interface MedicationDef extends CodeEntry {
  for: ConditionKey;
  dosageText: string;
  /** Units dispensed per 30 days. */
  unitsPer30Days: number;
  securityLabels?: string[];
}

/** Medications (RxNorm SCD), by the condition they treat. */
export const MEDICATIONS: readonly MedicationDef[] = [
  { for: 'hypertension', code: '314076', display: 'lisinopril 10 MG Oral Tablet', dosageText: 'Take 1 tablet by mouth once daily', unitsPer30Days: 30 },
  { for: 'hypertension', code: '197361', display: 'amlodipine 5 MG Oral Tablet', dosageText: 'Take 1 tablet by mouth once daily', unitsPer30Days: 30 },
  { for: 'hypertension', code: '310798', display: 'hydrochlorothiazide 25 MG Oral Tablet', dosageText: 'Take 1 tablet by mouth every morning', unitsPer30Days: 30 },
  { for: 'diabetes', code: '860975', display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet', dosageText: 'Take 2 tablets by mouth once daily with the evening meal', unitsPer30Days: 60 },
  { for: 'hyperlipidemia', code: '312961', display: 'simvastatin 20 MG Oral Tablet', dosageText: 'Take 1 tablet by mouth at bedtime', unitsPer30Days: 30 },
  { for: 'asthma', code: '745679', display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', dosageText: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing', unitsPer30Days: 1 },
  { for: 'asthma', code: '895994', display: '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler', dosageText: 'Inhale 2 puffs twice daily; rinse mouth after use', unitsPer30Days: 1 },
  { for: 'depression', code: '312941', display: 'sertraline 50 MG Oral Tablet', dosageText: 'Take 1 tablet by mouth once daily', unitsPer30Days: 30, securityLabels: ['PSY'] },
  { for: 'anxiety', code: '312941', display: 'sertraline 50 MG Oral Tablet', dosageText: 'Take 1 tablet by mouth once daily', unitsPer30Days: 30, securityLabels: ['PSY'] },
  { for: 'hypothyroidism', code: '966222', display: 'levothyroxine sodium 0.075 MG Oral Tablet', dosageText: 'Take 1 tablet by mouth every morning on an empty stomach', unitsPer30Days: 30 },
  { for: 'atrialFibrillation', code: '243670', display: 'aspirin 81 MG Oral Tablet', dosageText: 'Take 1 tablet by mouth once daily', unitsPer30Days: 30 },
];

/** An allergy or intolerance (SNOMED CT finding). */
export interface AllergyDef extends CodeEntry {
  type: 'allergy' | 'intolerance';
  category: 'food' | 'medication' | 'environment' | 'biologic';
  reactions: readonly string[];
  highRisk: boolean;
}

/** Allergies and intolerances. */
export const ALLERGIES: readonly AllergyDef[] = [
  { code: '91936005', display: 'Allergy to penicillin', type: 'allergy', category: 'medication', reactions: ['Hives', 'Rash', 'Anaphylaxis'], highRisk: true },
  { code: '91935009', display: 'Allergy to peanuts', type: 'allergy', category: 'food', reactions: ['Hives', 'Throat swelling', 'Anaphylaxis'], highRisk: true },
  { code: '300913006', display: 'Shellfish allergy', type: 'allergy', category: 'food', reactions: ['Hives', 'Vomiting'], highRisk: true },
  { code: '91930004', display: 'Allergy to eggs', type: 'allergy', category: 'food', reactions: ['Rash', 'Abdominal pain'], highRisk: false },
  { code: '300916003', display: 'Latex allergy', type: 'allergy', category: 'environment', reactions: ['Contact dermatitis', 'Itching'], highRisk: false },
  { code: '418689008', display: 'Allergy to grass pollen', type: 'allergy', category: 'environment', reactions: ['Sneezing', 'Itchy eyes'], highRisk: false },
  { code: '232350006', display: 'House dust mite allergy', type: 'allergy', category: 'environment', reactions: ['Rhinitis', 'Wheezing'], highRisk: false },
  { code: '424213003', display: 'Allergy to bee venom', type: 'allergy', category: 'environment', reactions: ['Local swelling', 'Anaphylaxis'], highRisk: true },
];

/** A vaccine (CVX) and who gets it. */
export interface VaccineDef extends CodeEntry {
  minAge: number;
  maxAge: number;
  route: string;
  site: string;
}

/** Vaccines. */
export const VACCINES: readonly VaccineDef[] = [
  { code: '140', display: 'Influenza, seasonal, injectable, preservative free', minAge: 1, maxAge: 120, route: 'IM', site: 'Left deltoid' },
  { code: '208', display: 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose', minAge: 12, maxAge: 120, route: 'IM', site: 'Right deltoid' },
  { code: '115', display: 'Tdap', minAge: 11, maxAge: 120, route: 'IM', site: 'Left deltoid' },
  { code: '187', display: 'Zoster recombinant', minAge: 50, maxAge: 120, route: 'IM', site: 'Right deltoid' },
  { code: '33', display: 'Pneumococcal polysaccharide PPV23', minAge: 65, maxAge: 120, route: 'IM', site: 'Left deltoid' },
  { code: '03', display: 'MMR', minAge: 1, maxAge: 10, route: 'SC', site: 'Left thigh' },
  { code: '20', display: 'DTaP', minAge: 1, maxAge: 10, route: 'IM', site: 'Right thigh' },
];

/** A numeric observation (lab or vital sign) with its reference range. */
export interface MeasureDef extends CodeEntry {
  unit: string;
  decimals: number;
  /** Reference range; either end may be open. */
  low?: number;
  high?: number;
  /** Values drawn for patients without a related condition. */
  normal: [number, number];
  /** Values drawn when the patient has one of `abnormalFor`. */
  abnormal?: [number, number];
  abnormalFor?: readonly ConditionKey[];
  /** Tests ordered for these conditions (labs only). */
  orderedFor?: readonly ConditionKey[];
}

/** Laboratory tests (LOINC). */
export const LAB_TESTS: readonly MeasureDef[] = [
  { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', decimals: 1, low: 4.0, high: 5.6, normal: [4.6, 5.6], abnormal: [6.6, 9.4], abnormalFor: ['diabetes'], orderedFor: ['diabetes'] },
  { code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 0, low: 70, high: 99, normal: [72, 99], abnormal: [118, 210], abnormalFor: ['diabetes'], orderedFor: ['diabetes'] },
  { code: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 0, high: 200, normal: [140, 199], abnormal: [205, 285], abnormalFor: ['hyperlipidemia'], orderedFor: ['hyperlipidemia', 'hypertension', 'diabetes'] },
  { code: '2571-8', display: 'Triglyceride [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 0, high: 150, normal: [60, 149], abnormal: [160, 320], abnormalFor: ['hyperlipidemia', 'diabetes'], orderedFor: ['hyperlipidemia'] },
  { code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', decimals: 1, low: 12.0, high: 17.5, normal: [12.4, 16.8], abnormal: [10.2, 11.8], abnormalFor: [] },
  { code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', unit: 'mg/dL', decimals: 2, low: 0.6, high: 1.3, normal: [0.65, 1.2], abnormal: [1.35, 1.9], abnormalFor: [], orderedFor: ['hypertension', 'diabetes'] },
  { code: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma', unit: 'm[IU]/L', decimals: 2, low: 0.4, high: 4.0, normal: [0.6, 3.8], abnormal: [4.4, 9.5], abnormalFor: ['hypothyroidism'], orderedFor: ['hypothyroidism'] },
  { code: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count', unit: '10*3/uL', decimals: 1, low: 4.5, high: 11.0, normal: [4.8, 10.5], abnormal: [11.2, 14.8], abnormalFor: [] },
];

/** Vital signs taken at visits (LOINC); blood pressure is taken as a pair. */
export const VITAL_SIGNS: readonly MeasureDef[] = [
  { code: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]', decimals: 0, low: 90, high: 129, normal: [104, 128], abnormal: [134, 162], abnormalFor: ['hypertension'] },
  { code: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]', decimals: 0, low: 60, high: 79, normal: [64, 79], abnormal: [82, 98], abnormalFor: ['hypertension'] },
  { code: '8867-4', display: 'Heart rate', unit: '/min', decimals: 0, low: 60, high: 100, normal: [62, 92], abnormal: [96, 118], abnormalFor: ['atrialFibrillation'] },
];

/** PHQ-9 total score, a survey observation labelled as mental-health information. */
export const PHQ9: MeasureDef = {
  code: '44261-6',
  display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
  unit: '{score}',
  decimals: 0,
  high: 4,
  normal: [0, 4],
  abnormal: [8, 19],
  abnormalFor: ['depression'],
};

/** A care plan for one chronic condition. */
export interface CarePlanTemplate {
  for: ConditionKey;
  title: string;
  category: CodeEntry;
  description: string;
  goals: readonly { description: string; target: string }[];
  activities: readonly string[];
}

/** Care plans, in priority order (a patient gets the first that matches). */
export const CARE_PLANS: readonly CarePlanTemplate[] = [
  {
    for: 'diabetes',
    title: 'Diabetes management plan',
    category: { code: '698360004', display: 'Diabetes self management plan' },
    description: 'Glycaemic control, foot and eye checks, nutrition coaching.',
    goals: [
      { description: 'Lower HbA1c', target: 'HbA1c < 7%' },
      { description: 'Daily glucose self-monitoring', target: 'Fasting glucose 80-130 mg/dL' },
    ],
    activities: ['Diabetes self-management education class', 'Annual dilated eye exam', 'Quarterly HbA1c check'],
  },
  {
    for: 'hypertension',
    title: 'Hypertension care plan',
    category: { code: '443402002', display: 'Lifestyle education regarding hypertension' },
    description: 'Blood pressure control through medication adherence, diet and activity.',
    goals: [
      { description: 'Blood pressure at goal', target: 'BP < 130/80 mm[Hg]' },
      { description: 'Reduce sodium intake', target: '< 2,300 mg sodium per day' },
    ],
    activities: ['Home blood pressure monitoring twice weekly', 'Nurse blood pressure check', 'DASH diet counselling'],
  },
  {
    for: 'depression',
    title: 'Depression care plan',
    category: { code: '737434004', display: 'Major depressive disorder clinical management plan' },
    description: 'Collaborative care with behavioral health follow-up and PHQ-9 monitoring.',
    goals: [
      { description: 'Reduce depressive symptoms', target: 'PHQ-9 < 5' },
      { description: 'Attend therapy sessions', target: '6 sessions in 12 weeks' },
    ],
    activities: ['Cognitive behavioral therapy sessions', 'Repeat PHQ-9 every 4 weeks'],
  },
  {
    for: 'asthma',
    title: 'Asthma action plan',
    category: { code: '699728000', display: 'Asthma self management' },
    description: 'Controller adherence, trigger avoidance and inhaler technique.',
    goals: [{ description: 'Asthma well controlled', target: 'Asthma Control Test score >= 20' }],
    activities: ['Inhaler technique review', 'Written asthma action plan'],
  },
  {
    for: 'hyperlipidemia',
    title: 'Cholesterol management plan',
    category: { code: '736285004', display: 'Hyperlipidemia clinical management plan' },
    description: 'Statin therapy and heart-healthy diet.',
    goals: [{ description: 'Lower total cholesterol', target: 'Total cholesterol < 200 mg/dL' }],
    activities: ['Repeat lipid panel in 3 months', 'Nutrition counselling'],
  },
];

/** A payer and the plans it sells. */
export interface PayerDef {
  payor: string;
  plans: readonly string[];
  type: CodeEntry & { system: string };
  memberPrefix: string;
  /** Which patients it covers. */
  ages: 'child' | 'adult' | 'senior' | 'any';
}

const HIP = { system: SYSTEMS.actCode, code: 'HIP', display: 'health insurance plan policy' };
const PUBLIC = { system: SYSTEMS.actCode, code: 'PUBLICPOL', display: 'public healthcare' };

/** Payers. */
export const PAYERS: readonly PayerDef[] = [
  { payor: 'Medicare', plans: ['Medicare Part B', 'Medicare Advantage PPO'], type: PUBLIC, memberPrefix: '1EG', ages: 'senior' },
  { payor: 'Medicaid', plans: ['Medicaid Managed Care', 'CHIP'], type: PUBLIC, memberPrefix: 'MCD', ages: 'child' },
  { payor: 'Aetna', plans: ['Aetna Choice POS II', 'Aetna Open Access'], type: HIP, memberPrefix: 'W', ages: 'any' },
  { payor: 'Blue Cross Blue Shield', plans: ['Blue Choice PPO', 'BlueAdvantage HMO'], type: HIP, memberPrefix: 'XYZ', ages: 'any' },
  { payor: 'UnitedHealthcare', plans: ['Choice Plus', 'Navigate HMO'], type: HIP, memberPrefix: 'U', ages: 'adult' },
  { payor: 'Cigna', plans: ['Open Access Plus', 'LocalPlus'], type: HIP, memberPrefix: 'C', ages: 'adult' },
  { payor: 'Humana', plans: ['Humana Gold Plus HMO'], type: PUBLIC, memberPrefix: 'H', ages: 'senior' },
];

/** Appointment and encounter types (SNOMED CT procedures). */
export const VISIT_TYPES = {
  checkUp: { code: '185349003', display: 'Encounter for check up' },
  followUp: { code: '390906007', display: 'Follow-up encounter' },
  telehealth: { code: '448337001', display: 'Telemedicine consultation with patient' },
  admission: { code: '32485007', display: 'Hospital admission' },
} as const;

/** Reasons for a short inpatient stay. */
export const ADMISSION_REASONS: readonly string[] = [
  'Community-acquired pneumonia',
  'Chest pain, rule out acute coronary syndrome',
  'Cellulitis of lower leg',
  'Dehydration after gastroenteritis',
];
