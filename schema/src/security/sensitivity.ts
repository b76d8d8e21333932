import { registerEnumType } from 'type-graphql';

/**
 * Sensitive data categories that need more than a care relationship (HL7 v3
 * ActInformationSensitivityPolicy). Records carry the v3 codes in `securityLabels`; consents name
 * the codes they permit or deny in their own `securityLabels`.
 */
export enum SensitiveCategory {
  MENTAL_HEALTH = 'mental-health',
  /** 42 CFR Part 2: disclosed for treatment only with the patient's written consent. */
  SUBSTANCE_USE = 'substance-use',
  HIV_SEXUAL_HEALTH = 'hiv-sexual-health',
  REPRODUCTIVE = 'reproductive',
  GENETIC = 'genetic',
}
registerEnumType(SensitiveCategory, { name: 'SensitiveCategory' });

/** v3 sensitivity codes and the category each belongs to. */
export const SENSITIVITY_LABELS: Readonly<Record<string, SensitiveCategory>> = {
  PSY: SensitiveCategory.MENTAL_HEALTH,
  MH: SensitiveCategory.MENTAL_HEALTH,
  BH: SensitiveCategory.MENTAL_HEALTH,
  PSYTHPN: SensitiveCategory.MENTAL_HEALTH,
  ETH: SensitiveCategory.SUBSTANCE_USE,
  SUD: SensitiveCategory.SUBSTANCE_USE,
  HIV: SensitiveCategory.HIV_SEXUAL_HEALTH,
  STD: SensitiveCategory.HIV_SEXUAL_HEALTH,
  SDV: SensitiveCategory.HIV_SEXUAL_HEALTH,
  SEX: SensitiveCategory.REPRODUCTIVE,
  GDIS: SensitiveCategory.GENETIC,
};

/**
 * v3 Confidentiality codes (`http://terminology.hl7.org/CodeSystem/v3-Confidentiality`) that
 * restrict a record beyond usual control: `R` restricted, `V` very restricted. A record carries
 * them in `securityLabels` beside the sensitivity codes. They are not a category: no consent
 * opens or closes them; they are withheld from callers without the `sensitiveClinical` grant.
 */
export const RESTRICTED_CONFIDENTIALITY_LABELS: readonly string[] = ['R', 'V'];

/** The sensitive categories a set of labels falls into (unknown labels are ignored). */
export function sensitiveCategoriesOf(labels: readonly string[]): SensitiveCategory[] {
  const categories = new Set<SensitiveCategory>();
  for (const label of labels) {
    const category = SENSITIVITY_LABELS[label.toUpperCase()];
    if (category) categories.add(category);
  }
  return [...categories];
}

/** Every label code of a category. */
export function labelsOf(category: SensitiveCategory): string[] {
  return Object.entries(SENSITIVITY_LABELS)
    .filter(([, c]) => c === category)
    .map(([label]) => label);
}
