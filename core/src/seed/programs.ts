/** Care-plan templates, payers and visit types of the demo clinic. */
import { SYSTEMS, type CodeEntry, type ConditionKey } from './catalog.js';

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
    activities: [
      'Diabetes self-management education class',
      'Annual dilated eye exam',
      'Quarterly HbA1c check',
    ],
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
    activities: [
      'Home blood pressure monitoring twice weekly',
      'Nurse blood pressure check',
      'DASH diet counselling',
    ],
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
  {
    payor: 'Medicare',
    plans: ['Medicare Part B', 'Medicare Advantage PPO'],
    type: PUBLIC,
    memberPrefix: '1EG',
    ages: 'senior',
  },
  {
    payor: 'Medicaid',
    plans: ['Medicaid Managed Care', 'CHIP'],
    type: PUBLIC,
    memberPrefix: 'MCD',
    ages: 'child',
  },
  {
    payor: 'Aetna',
    plans: ['Aetna Choice POS II', 'Aetna Open Access'],
    type: HIP,
    memberPrefix: 'W',
    ages: 'any',
  },
  {
    payor: 'Blue Cross Blue Shield',
    plans: ['Blue Choice PPO', 'BlueAdvantage HMO'],
    type: HIP,
    memberPrefix: 'XYZ',
    ages: 'any',
  },
  {
    payor: 'UnitedHealthcare',
    plans: ['Choice Plus', 'Navigate HMO'],
    type: HIP,
    memberPrefix: 'U',
    ages: 'adult',
  },
  {
    payor: 'Cigna',
    plans: ['Open Access Plus', 'LocalPlus'],
    type: HIP,
    memberPrefix: 'C',
    ages: 'adult',
  },
  {
    payor: 'Humana',
    plans: ['Humana Gold Plus HMO'],
    type: PUBLIC,
    memberPrefix: 'H',
    ages: 'senior',
  },
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
