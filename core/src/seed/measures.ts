/** Lab tests, vital signs and a survey score (LOINC) with reference ranges. */
import type { CodeEntry, ConditionKey } from './catalog.js';

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
  {
    code: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    decimals: 1,
    low: 4.0,
    high: 5.6,
    normal: [4.6, 5.6],
    abnormal: [6.6, 9.4],
    abnormalFor: ['diabetes'],
    orderedFor: ['diabetes'],
  },
  {
    code: '2345-7',
    display: 'Glucose [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 0,
    low: 70,
    high: 99,
    normal: [72, 99],
    abnormal: [118, 210],
    abnormalFor: ['diabetes'],
    orderedFor: ['diabetes'],
  },
  {
    code: '2093-3',
    display: 'Cholesterol [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 0,
    high: 200,
    normal: [140, 199],
    abnormal: [205, 285],
    abnormalFor: ['hyperlipidemia'],
    orderedFor: ['hyperlipidemia', 'hypertension', 'diabetes'],
  },
  {
    code: '2571-8',
    display: 'Triglyceride [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 0,
    high: 150,
    normal: [60, 149],
    abnormal: [160, 320],
    abnormalFor: ['hyperlipidemia', 'diabetes'],
    orderedFor: ['hyperlipidemia'],
  },
  {
    code: '718-7',
    display: 'Hemoglobin [Mass/volume] in Blood',
    unit: 'g/dL',
    decimals: 1,
    low: 12.0,
    high: 17.5,
    normal: [12.4, 16.8],
    abnormal: [10.2, 11.8],
    abnormalFor: [],
  },
  {
    code: '2160-0',
    display: 'Creatinine [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 2,
    low: 0.6,
    high: 1.3,
    normal: [0.65, 1.2],
    abnormal: [1.35, 1.9],
    abnormalFor: [],
    orderedFor: ['hypertension', 'diabetes'],
  },
  {
    code: '3016-3',
    display: 'Thyrotropin [Units/volume] in Serum or Plasma',
    unit: 'm[IU]/L',
    decimals: 2,
    low: 0.4,
    high: 4.0,
    normal: [0.6, 3.8],
    abnormal: [4.4, 9.5],
    abnormalFor: ['hypothyroidism'],
    orderedFor: ['hypothyroidism'],
  },
  {
    code: '6690-2',
    display: 'Leukocytes [#/volume] in Blood by Automated count',
    unit: '10*3/uL',
    decimals: 1,
    low: 4.5,
    high: 11.0,
    normal: [4.8, 10.5],
    abnormal: [11.2, 14.8],
    abnormalFor: [],
  },
];

/** Vital signs taken at visits (LOINC); blood pressure is taken as a pair. */
export const VITAL_SIGNS: readonly MeasureDef[] = [
  {
    code: '8480-6',
    display: 'Systolic blood pressure',
    unit: 'mm[Hg]',
    decimals: 0,
    low: 90,
    high: 129,
    normal: [104, 128],
    abnormal: [134, 162],
    abnormalFor: ['hypertension'],
  },
  {
    code: '8462-4',
    display: 'Diastolic blood pressure',
    unit: 'mm[Hg]',
    decimals: 0,
    low: 60,
    high: 79,
    normal: [64, 79],
    abnormal: [82, 98],
    abnormalFor: ['hypertension'],
  },
  {
    code: '8867-4',
    display: 'Heart rate',
    unit: '/min',
    decimals: 0,
    low: 60,
    high: 100,
    normal: [62, 92],
    abnormal: [96, 118],
    abnormalFor: ['atrialFibrillation'],
  },
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
