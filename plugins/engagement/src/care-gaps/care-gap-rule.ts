import { AdministrativeGender } from '@caregraph/schema';
import { z } from 'zod';
import { valueSetSchema } from './code-matchers.js';
import { parseLookback } from './lookback.js';

const lookback = z.string().refine((text) => parseLookback(text) !== undefined, {
  message: 'an ISO 8601 period of years, months or days (e.g. P6M, P1Y, P2Y)',
});

/** Where satisfying evidence is looked for, and which of its codes count. */
export const EVIDENCE_KINDS = ['observation', 'encounter', 'appointment'] as const;

/**
 * One piece of evidence that closes a gap: an Observation (by `code`, final results only), an
 * Encounter (by `type`) or an Appointment (by `serviceType`; a booked one counts, so a patient who
 * has already booked the visit is not asked to) within `lookback` of now.
 */
export const gapEvidenceSchema = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  codes: z.array(valueSetSchema).min(1).max(20),
  lookback,
});

/** Who a gap rule is about: every criterion given must hold (none given: every patient). */
export const gapPopulationSchema = z
  .strictObject({
    /** An active, not refuted condition with one of these codes. */
    conditions: z.array(valueSetSchema).min(1).max(20).optional(),
    /** Age in whole years on the day of the sweep, inclusive. */
    ageMin: z.number().int().min(0).max(150).optional(),
    ageMax: z.number().int().min(0).max(150).optional(),
    /** Administrative sex (`Patient.gender`). */
    sex: z.enum(AdministrativeGender).optional(),
  })
  .refine((p) => p.ageMin === undefined || p.ageMax === undefined || p.ageMin <= p.ageMax, {
    message: 'ageMax must not be below ageMin',
    path: ['ageMax'],
  });

/**
 * A care-gap rule as data: the population it applies to and the evidence that satisfies it. A
 * patient of the population with no evidence within its lookback has an open gap.
 */
export const careGapRuleSchema = z.strictObject({
  /** Stable, kebab-case: names the gap in the plugin's table and in idempotency keys. */
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, {
    message: 'lowercase letters, digits and -, at most 48',
  }),
  /** The care team's Task title (staff-facing: it may name the test; the patient's message never does). */
  title: z.string().min(1).max(200),
  population: gapPopulationSchema,
  evidence: z.array(gapEvidenceSchema).min(1).max(10),
});

/** A validated care-gap rule. */
export type CareGapRule = z.output<typeof careGapRuleSchema>;

/** A list of rules with distinct keys. */
export const careGapRulesSchema = z.array(careGapRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.key))
      ctx.addIssue({ code: 'custom', message: 'duplicate gap key', path: [i, 'key'] });
    seen.add(rule.key);
  });
});

const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const LOINC = 'http://loinc.org';

/** A check-up or wellness visit (SNOMED CT), as an encounter type or appointment service type. */
const WELLNESS_VISIT = [
  { system: SNOMED, codes: ['185349003', '410620009', '444971000124105', '86013001'] },
];
const MAMMOGRAPHY = [{ system: SNOMED, codes: ['24623002', '241055006'] }];
const COLONOSCOPY = [{ system: SNOMED, codes: ['73761001'] }];

/** The gap rules a tenant gets unless its config names its own. */
export const DEFAULT_CARE_GAP_RULES: readonly CareGapRule[] = [
  {
    key: 'hba1c-diabetes',
    title: 'Care gap: HbA1c not measured in the last 6 months',
    population: {
      conditions: [
        { system: SNOMED, codes: ['44054006', '46635009', '73211009'] },
        { system: ICD10CM, codes: ['E10.*', 'E11.*', 'E13.*'] },
      ],
    },
    evidence: [
      {
        kind: 'observation',
        codes: [{ system: LOINC, codes: ['4548-4', '17856-6'] }],
        lookback: 'P6M',
      },
    ],
  },
  {
    key: 'annual-wellness-visit',
    title: 'Care gap: no wellness visit in the last year',
    population: { ageMin: 18 },
    evidence: [
      { kind: 'encounter', codes: WELLNESS_VISIT, lookback: 'P1Y' },
      { kind: 'appointment', codes: WELLNESS_VISIT, lookback: 'P1Y' },
    ],
  },
  {
    key: 'breast-cancer-screening',
    title: 'Care gap: breast cancer screening due (every 2 years, 50–74)',
    population: { sex: AdministrativeGender.FEMALE, ageMin: 50, ageMax: 74 },
    evidence: [
      {
        kind: 'observation',
        codes: [{ system: LOINC, codes: ['24606-6', '24604-1'] }],
        lookback: 'P2Y',
      },
      { kind: 'encounter', codes: MAMMOGRAPHY, lookback: 'P2Y' },
      { kind: 'appointment', codes: MAMMOGRAPHY, lookback: 'P2Y' },
    ],
  },
  {
    key: 'colorectal-cancer-screening',
    title: 'Care gap: colorectal cancer screening due (45–75)',
    population: { ageMin: 45, ageMax: 75 },
    evidence: [
      // FIT / immunochemical FOBT yearly, stool DNA every 3 years, colonoscopy every 10.
      {
        kind: 'observation',
        codes: [{ system: LOINC, codes: ['57905-2', '29771-3', '56490-6'] }],
        lookback: 'P1Y',
      },
      {
        kind: 'observation',
        codes: [{ system: LOINC, codes: ['77353-1', '77354-9'] }],
        lookback: 'P3Y',
      },
      { kind: 'encounter', codes: COLONOSCOPY, lookback: 'P10Y' },
      { kind: 'appointment', codes: COLONOSCOPY, lookback: 'P10Y' },
    ],
  },
];
