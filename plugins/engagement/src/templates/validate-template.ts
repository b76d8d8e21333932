import { canonicalLanguage } from './language-fallback.js';
import {
  ANY_CHANNEL,
  MESSAGE_PURPOSES,
  TEMPLATE_CHANNELS,
  TEMPLATE_KEY_PATTERN,
  type MessageTemplate,
} from './message-template.js';
import { checkTemplatePhi, phiCodeOfPlaceholder } from './phi-check.js';
import { isAllowedPlaceholder, parseTemplateBody } from './placeholders.js';
import { TemplateError } from './template-errors.js';
import { hasErrors, type TemplateFinding, type TemplatePart } from './template-finding.js';

/** Stable codes of the structural findings (all errors). */
export const TemplateFindingCode = {
  INVALID_KEY: 'TEMPLATE_INVALID_KEY',
  INVALID_PURPOSE: 'TEMPLATE_INVALID_PURPOSE',
  INVALID_CHANNEL: 'TEMPLATE_INVALID_CHANNEL',
  INVALID_LANGUAGE: 'TEMPLATE_INVALID_LANGUAGE',
  INVALID_VERSION: 'TEMPLATE_INVALID_VERSION',
  EMPTY_TEXT: 'TEMPLATE_EMPTY_TEXT',
  /** An SMS has no subject and is plain text: `subject` and `html` are refused on SMS templates. */
  NOT_FOR_SMS: 'TEMPLATE_NOT_FOR_SMS',
  UNKNOWN_PLACEHOLDER: 'TEMPLATE_UNKNOWN_PLACEHOLDER',
  MALFORMED_PLACEHOLDER: 'TEMPLATE_MALFORMED_PLACEHOLDER',
} as const;
export type TemplateFindingCode = (typeof TemplateFindingCode)[keyof typeof TemplateFindingCode];

/**
 * Every problem of a template, as checked when it is saved: its fields, its placeholders (only
 * the allow-list is accepted) and the minimum-PHI check. A placeholder that the PHI check
 * already refuses is not reported a second time as unknown.
 */
export function validateTemplate(template: MessageTemplate): TemplateFinding[] {
  const findings: TemplateFinding[] = [];
  const field = (part: TemplatePart, code: TemplateFindingCode, message: string) =>
    findings.push({ code, severity: 'error', part, message, source: 'template' });

  if (!TEMPLATE_KEY_PATTERN.test(template.key))
    field('key', TemplateFindingCode.INVALID_KEY, 'The key is lower-case words joined by hyphens.');
  if (!MESSAGE_PURPOSES.includes(template.purpose))
    field(
      'purpose',
      TemplateFindingCode.INVALID_PURPOSE,
      `The purpose is one of: ${MESSAGE_PURPOSES.join(', ')}.`,
    );
  if (template.channel !== ANY_CHANNEL && !TEMPLATE_CHANNELS.includes(template.channel))
    field(
      'channel',
      TemplateFindingCode.INVALID_CHANNEL,
      `The channel is one of: ${[...TEMPLATE_CHANNELS, ANY_CHANNEL].join(', ')}.`,
    );
  if (!canonicalLanguage(template.language))
    field(
      'language',
      TemplateFindingCode.INVALID_LANGUAGE,
      'The language is a BCP 47 tag such as "es" or "es-MX".',
    );
  if (!Number.isInteger(template.version) || template.version < 1)
    field('version', TemplateFindingCode.INVALID_VERSION, 'The version is a whole number from 1.');
  if (!template.text.trim())
    field(
      'text',
      TemplateFindingCode.EMPTY_TEXT,
      'The text body is required (it is the SMS and the plain-text email).',
    );
  if (template.channel === 'sms') {
    if (template.subject !== undefined)
      field('subject', TemplateFindingCode.NOT_FOR_SMS, 'An SMS has no subject.');
    if (template.html !== undefined)
      field('html', TemplateFindingCode.NOT_FOR_SMS, 'An SMS is plain text: it has no HTML body.');
  }

  for (const [part, body] of [
    ['subject', template.subject],
    ['text', template.text],
    ['html', template.html],
  ] as const) {
    if (body !== undefined) findings.push(...placeholderFindings(part, body));
  }
  findings.push(...checkTemplatePhi(template));
  return findings;
}

function placeholderFindings(part: TemplatePart, body: string): TemplateFinding[] {
  const findings: TemplateFinding[] = [];
  for (const segment of parseTemplateBody(body)) {
    if (segment.kind === 'malformed')
      findings.push({
        code: TemplateFindingCode.MALFORMED_PLACEHOLDER,
        severity: 'error',
        part,
        start: segment.start,
        end: segment.end,
        message: 'A placeholder is written {{name}}, with a dotted name such as patient.givenName.',
        source: 'template',
      });
    else if (
      segment.kind === 'placeholder' &&
      !isAllowedPlaceholder(segment.name) &&
      !phiCodeOfPlaceholder(segment.name)
    )
      findings.push({
        code: TemplateFindingCode.UNKNOWN_PLACEHOLDER,
        severity: 'error',
        part,
        start: segment.start,
        end: segment.end,
        placeholder: segment.name,
        message: `{{${segment.name}}} is not an allowed placeholder.`,
        source: 'template',
      });
  }
  return findings;
}

/**
 * The save-time gate: returns the warnings to show the author when the template may be saved.
 *
 * @throws TemplateError `CG_ERR_TEMPLATE_INVALID` with every error in `details.findings`.
 */
export function assertTemplateSavable(template: MessageTemplate): TemplateFinding[] {
  const findings = validateTemplate(template);
  if (hasErrors(findings))
    throw TemplateError.invalid(
      template.key,
      findings.filter((f) => f.severity === 'error'),
    );
  return findings;
}
