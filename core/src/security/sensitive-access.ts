import {
  RESTRICTED_CONFIDENTIALITY_LABELS,
  SensitiveCategory,
  SENSITIVITY_LABELS,
  labelsOf,
  sensitiveCategoriesOf,
} from '@caregraph/schema';
import type { AccessDecision } from './patient-access.js';
import type { PrivacyConsent } from './relationship-queries.js';

/**
 * Categories shared for treatment only with the patient's explicit permission (opt-in):
 * substance-use treatment records under 42 CFR Part 2. The others are shared with the care team
 * unless the patient refused (opt-out).
 */
export const OPT_IN_CATEGORIES: readonly SensitiveCategory[] = [SensitiveCategory.SUBSTANCE_USE];

/** Every label a record can carry that needs more than a care relationship. */
const ALL_LABELS = [...Object.keys(SENSITIVITY_LABELS), ...RESTRICTED_CONFIDENTIALITY_LABELS];

/**
 * The sensitivity labels to withhold, given the `sensitiveClinical` decision and the patient's
 * active privacy consents:
 * - not allowed at all (role or purpose): every label, the restricted confidentiality codes
 *   (`R`, `V`) included;
 * - the patient themself, or an emergency override (break-glass, which 42 CFR 2.51 allows for a
 *   medical emergency): none;
 * - otherwise opt-in categories need a PERMIT consent naming them, and the rest are withheld
 *   where a DENY consent names them (a refusal wins over a permission); `R` and `V` are shown
 *   (the grant is what they ask for).
 */
export function withheldLabels(
  decision: AccessDecision,
  consents: readonly PrivacyConsent[],
): string[] {
  if (!decision.allowed) return ALL_LABELS;
  if (decision.basis === 'self' || decision.basis === 'breakGlass') return [];
  const permitted = new Set<SensitiveCategory>();
  const refused = new Set<SensitiveCategory>();
  for (const consent of consents) {
    const target = consent.decision === 'permit' ? permitted : refused;
    for (const category of sensitiveCategoriesOf(consent.labels)) target.add(category);
  }
  const withheld: string[] = [];
  for (const category of Object.values(SensitiveCategory)) {
    const optIn = OPT_IN_CATEGORIES.includes(category);
    if (refused.has(category) || (optIn && !permitted.has(category)))
      withheld.push(...labelsOf(category));
  }
  return withheld;
}

/**
 * SQL keeping only rows that carry none of `labels` in their `security_labels` (jsonb), on the
 * table alias `alias` (or unqualified). `jsonb_exists_any` is the function behind `?|`, spelt
 * out so the operator's `?` cannot be taken for a parameter placeholder.
 */
export function withoutLabelsSql(
  labels: readonly string[],
  alias?: string,
): { sql: string; params: string[] } {
  const column = alias ? `${alias}.security_labels` : 'security_labels';
  return {
    sql: `not jsonb_exists_any(${column}, array[${labels.map(() => '?').join(', ')}]::text[])`,
    params: [...labels],
  };
}
