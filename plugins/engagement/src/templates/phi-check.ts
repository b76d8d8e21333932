import type { MessageTemplate } from './message-template.js';
import { parseTemplateBody } from './placeholders.js';
import type { RenderedMessage } from './render-template.js';
import { findMeasurements, findSensitiveTerms } from './sensitive-terms.js';
import type { TemplateFinding, TemplatePart } from './template-finding.js';

/**
 * Stable codes of the minimum-PHI findings. Errors block saving a template; warnings are shown
 * to its author (and in previews) and do not.
 */
export const PhiFindingCode = {
  /** error: a placeholder for clinical data (results, conditions, medications, tests, specialty). */
  CLINICAL_PLACEHOLDER: 'PHI_CLINICAL_PLACEHOLDER',
  /** error: a placeholder for free text (notes, comments, descriptions), which may say anything. */
  FREE_TEXT_PLACEHOLDER: 'PHI_FREE_TEXT_PLACEHOLDER',
  /** warning: literal text naming a condition, treatment, sensitive clinic or result. */
  SENSITIVE_TERM: 'PHI_SENSITIVE_TERM',
  /** warning: a literal measurement with a clinical unit (`7.2 mg/dL`, `8%`). */
  MEASUREMENT: 'PHI_MEASUREMENT',
} as const;
export type PhiFindingCode = (typeof PhiFindingCode)[keyof typeof PhiFindingCode];

/** Words of a placeholder name that make it clinical (matched on its dotted and camelCase words). */
const CLINICAL_WORDS = new Set([
  'observation',
  'observations',
  'result',
  'results',
  'lab',
  'labs',
  'test',
  'tests',
  'value',
  'values',
  'interpretation',
  'condition',
  'conditions',
  'diagnosis',
  'diagnoses',
  'problem',
  'problems',
  'medication',
  'medications',
  'prescription',
  'prescriptions',
  'drug',
  'drugs',
  'dose',
  'dosage',
  'allergy',
  'allergies',
  'immunization',
  'immunizations',
  'vaccine',
  'procedure',
  'procedures',
  'specialty',
  'speciality',
  'service',
  'reason',
  'encounter',
  'encounters',
  'goal',
  'goals',
  'plan',
  'clinical',
  'code',
  'codes',
]);

/** Words of a placeholder name that make it free text. */
const FREE_TEXT_WORDS = new Set([
  'note',
  'notes',
  'comment',
  'comments',
  'description',
  'narrative',
  'text',
  'summary',
  'body',
]);

/** The words of a placeholder name: `appointment.serviceType` → appointment, service, type. */
function placeholderWords(name: string): string[] {
  return name
    .split('.')
    .flatMap((part) => part.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .map((w) => w.toLowerCase());
}

/** The PHI finding code of a placeholder name, if its words make it clinical or free text. */
export function phiCodeOfPlaceholder(name: string): PhiFindingCode | undefined {
  const words = placeholderWords(name);
  if (words.some((w) => FREE_TEXT_WORDS.has(w))) return PhiFindingCode.FREE_TEXT_PLACEHOLDER;
  if (words.some((w) => CLINICAL_WORDS.has(w))) return PhiFindingCode.CLINICAL_PLACEHOLDER;
  return undefined;
}

/** The body parts of a template or rendered message, in a stable order. */
function parts(message: { subject?: string; text: string; html?: string }) {
  const all: [TemplatePart, string | undefined][] = [
    ['subject', message.subject],
    ['text', message.text],
    ['html', message.html],
  ];
  return all.filter((p): p is [TemplatePart, string] => p[1] !== undefined);
}

/**
 * The minimum-PHI check of a template, run when it is saved and when it is previewed: clinical
 * and free-text placeholders (errors), sensitive terms and measurements in its literal text
 * (warnings). Placeholder names are checked whether or not they are on the allow-list, so that
 * the author is told why `{{observation.value}}` is refused.
 */
export function checkTemplatePhi(
  template: Pick<MessageTemplate, 'subject' | 'text' | 'html'>,
): TemplateFinding[] {
  const findings: TemplateFinding[] = [];
  for (const [part, body] of parts(template)) {
    for (const segment of parseTemplateBody(body)) {
      if (segment.kind === 'placeholder') {
        const code = phiCodeOfPlaceholder(segment.name);
        if (code)
          findings.push({
            code,
            severity: 'error',
            part,
            start: segment.start,
            end: segment.end,
            placeholder: segment.name,
            message:
              code === PhiFindingCode.FREE_TEXT_PLACEHOLDER
                ? `{{${segment.name}}} would put free text into the message, which may hold clinical detail.`
                : `{{${segment.name}}} would put clinical detail into the message; say only that there is something to see, and link to the portal.`,
            source: 'template',
          });
      } else if (segment.kind === 'literal') {
        findings.push(...literalFindings(part, segment.text, segment.start, 'template'));
      }
    }
  }
  return findings;
}

/**
 * The literal-text check of a rendered message (a preview): it catches sensitive words that
 * come in through values, e.g. a practice named "Westside HIV Clinic". Offsets point into the
 * rendered parts.
 */
export function checkRenderedPhi(rendered: RenderedMessage): TemplateFinding[] {
  return parts(rendered).flatMap(([part, body]) => literalFindings(part, body, 0, 'rendered'));
}

function literalFindings(
  part: TemplatePart,
  text: string,
  offset: number,
  source: 'template' | 'rendered',
): TemplateFinding[] {
  const terms = findSensitiveTerms(text).map((m): TemplateFinding => ({
    code: PhiFindingCode.SENSITIVE_TERM,
    severity: 'warning',
    part,
    start: offset + m.start,
    end: offset + m.end,
    term: m.term,
    message: `"${m.term}" can reveal health information (${m.category}) to anyone who sees the message.`,
    source,
  }));
  const measurements = findMeasurements(text).map((m): TemplateFinding => ({
    code: PhiFindingCode.MEASUREMENT,
    severity: 'warning',
    part,
    start: offset + m.start,
    end: offset + m.end,
    term: m.term,
    message: `"${m.term}" looks like a clinical value; messages say only that a result is available.`,
    source,
  }));
  return [...terms, ...measurements].sort((a, b) => a.start! - b.start!);
}
