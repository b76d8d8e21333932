/**
 * Code tables of the demo clinic: conditions (SNOMED CT), medications (RxNorm), allergies
 * and vaccines (CVX). Plain data; `clinical.ts` turns them into records. Lab tests and vital
 * signs are in `measures.ts`; care plans, payers and visit types in `programs.ts`.
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
  {
    key: 'hypertension',
    code: '38341003',
    display: 'Hypertension',
    chronic: true,
    minAge: 25,
    weight: 30,
  },
  {
    key: 'diabetes',
    code: '44054006',
    display: 'Type 2 diabetes mellitus',
    chronic: true,
    minAge: 25,
    weight: 18,
  },
  {
    key: 'asthma',
    code: '195967001',
    display: 'Asthma',
    chronic: true,
    minAge: 1,
    weight: 8,
    childWeight: 40,
  },
  {
    key: 'hyperlipidemia',
    code: '55822004',
    display: 'Hyperlipidemia',
    chronic: true,
    minAge: 30,
    weight: 22,
  },
  {
    key: 'depression',
    code: '35489007',
    display: 'Depressive disorder',
    chronic: true,
    minAge: 14,
    weight: 10,
    securityLabels: ['PSY'],
  },
  {
    key: 'anxiety',
    code: '197480006',
    display: 'Anxiety disorder',
    chronic: true,
    minAge: 14,
    weight: 6,
    securityLabels: ['PSY'],
  },
  {
    key: 'hypothyroidism',
    code: '40930008',
    display: 'Hypothyroidism',
    chronic: true,
    minAge: 20,
    weight: 6,
  },
  {
    key: 'osteoarthritis',
    code: '396275006',
    display: 'Osteoarthritis',
    chronic: true,
    minAge: 45,
    weight: 8,
  },
  { key: 'obesity', code: '414916001', display: 'Obesity', chronic: true, minAge: 18, weight: 8 },
  {
    key: 'atrialFibrillation',
    code: '49436004',
    display: 'Atrial fibrillation',
    chronic: true,
    minAge: 60,
    weight: 5,
  },
  {
    key: 'viralSinusitis',
    code: '444814009',
    display: 'Viral sinusitis',
    chronic: false,
    minAge: 1,
    weight: 6,
    childWeight: 15,
  },
  {
    key: 'acuteBronchitis',
    code: '10509002',
    display: 'Acute bronchitis',
    chronic: false,
    minAge: 1,
    weight: 4,
    childWeight: 15,
  },
  {
    key: 'otitisMedia',
    code: '65363002',
    display: 'Otitis media',
    chronic: false,
    minAge: 1,
    weight: 0,
    childWeight: 30,
  },
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
  {
    for: 'hypertension',
    code: '314076',
    display: 'lisinopril 10 MG Oral Tablet',
    dosageText: 'Take 1 tablet by mouth once daily',
    unitsPer30Days: 30,
  },
  {
    for: 'hypertension',
    code: '197361',
    display: 'amlodipine 5 MG Oral Tablet',
    dosageText: 'Take 1 tablet by mouth once daily',
    unitsPer30Days: 30,
  },
  {
    for: 'hypertension',
    code: '310798',
    display: 'hydrochlorothiazide 25 MG Oral Tablet',
    dosageText: 'Take 1 tablet by mouth every morning',
    unitsPer30Days: 30,
  },
  {
    for: 'diabetes',
    code: '860975',
    display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
    dosageText: 'Take 2 tablets by mouth once daily with the evening meal',
    unitsPer30Days: 60,
  },
  {
    for: 'hyperlipidemia',
    code: '312961',
    display: 'simvastatin 20 MG Oral Tablet',
    dosageText: 'Take 1 tablet by mouth at bedtime',
    unitsPer30Days: 30,
  },
  {
    for: 'asthma',
    code: '745679',
    display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    dosageText: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing',
    unitsPer30Days: 1,
  },
  {
    for: 'asthma',
    code: '895994',
    display: '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler',
    dosageText: 'Inhale 2 puffs twice daily; rinse mouth after use',
    unitsPer30Days: 1,
  },
  {
    for: 'depression',
    code: '312941',
    display: 'sertraline 50 MG Oral Tablet',
    dosageText: 'Take 1 tablet by mouth once daily',
    unitsPer30Days: 30,
    securityLabels: ['PSY'],
  },
  {
    for: 'anxiety',
    code: '312941',
    display: 'sertraline 50 MG Oral Tablet',
    dosageText: 'Take 1 tablet by mouth once daily',
    unitsPer30Days: 30,
    securityLabels: ['PSY'],
  },
  {
    for: 'hypothyroidism',
    code: '966222',
    display: 'levothyroxine sodium 0.075 MG Oral Tablet',
    dosageText: 'Take 1 tablet by mouth every morning on an empty stomach',
    unitsPer30Days: 30,
  },
  {
    for: 'atrialFibrillation',
    code: '243670',
    display: 'aspirin 81 MG Oral Tablet',
    dosageText: 'Take 1 tablet by mouth once daily',
    unitsPer30Days: 30,
  },
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
  {
    code: '91936005',
    display: 'Allergy to penicillin',
    type: 'allergy',
    category: 'medication',
    reactions: ['Hives', 'Rash', 'Anaphylaxis'],
    highRisk: true,
  },
  {
    code: '91935009',
    display: 'Allergy to peanuts',
    type: 'allergy',
    category: 'food',
    reactions: ['Hives', 'Throat swelling', 'Anaphylaxis'],
    highRisk: true,
  },
  {
    code: '300913006',
    display: 'Shellfish allergy',
    type: 'allergy',
    category: 'food',
    reactions: ['Hives', 'Vomiting'],
    highRisk: true,
  },
  {
    code: '91930004',
    display: 'Allergy to eggs',
    type: 'allergy',
    category: 'food',
    reactions: ['Rash', 'Abdominal pain'],
    highRisk: false,
  },
  {
    code: '300916003',
    display: 'Latex allergy',
    type: 'allergy',
    category: 'environment',
    reactions: ['Contact dermatitis', 'Itching'],
    highRisk: false,
  },
  {
    code: '418689008',
    display: 'Allergy to grass pollen',
    type: 'allergy',
    category: 'environment',
    reactions: ['Sneezing', 'Itchy eyes'],
    highRisk: false,
  },
  {
    code: '232350006',
    display: 'House dust mite allergy',
    type: 'allergy',
    category: 'environment',
    reactions: ['Rhinitis', 'Wheezing'],
    highRisk: false,
  },
  {
    code: '424213003',
    display: 'Allergy to bee venom',
    type: 'allergy',
    category: 'environment',
    reactions: ['Local swelling', 'Anaphylaxis'],
    highRisk: true,
  },
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
  {
    code: '140',
    display: 'Influenza, seasonal, injectable, preservative free',
    minAge: 1,
    maxAge: 120,
    route: 'IM',
    site: 'Left deltoid',
  },
  {
    code: '208',
    display: 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose',
    minAge: 12,
    maxAge: 120,
    route: 'IM',
    site: 'Right deltoid',
  },
  { code: '115', display: 'Tdap', minAge: 11, maxAge: 120, route: 'IM', site: 'Left deltoid' },
  {
    code: '187',
    display: 'Zoster recombinant',
    minAge: 50,
    maxAge: 120,
    route: 'IM',
    site: 'Right deltoid',
  },
  {
    code: '33',
    display: 'Pneumococcal polysaccharide PPV23',
    minAge: 65,
    maxAge: 120,
    route: 'IM',
    site: 'Left deltoid',
  },
  { code: '03', display: 'MMR', minAge: 1, maxAge: 10, route: 'SC', site: 'Left thigh' },
  { code: '20', display: 'DTaP', minAge: 1, maxAge: 10, route: 'IM', site: 'Right thigh' },
];
