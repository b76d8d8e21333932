import type { TemplateFinding } from './template-finding.js';

/** Stable codes of the errors the template functions throw. Documented in the README. */
export const TemplateErrorCode = {
  /** No template of the key fits the channel and any language of the fallback chain. */
  NOT_FOUND: 'CG_ERR_TEMPLATE_NOT_FOUND',
  /** The template cannot be saved: `details.findings` lists every error-severity finding. */
  INVALID: 'CG_ERR_TEMPLATE_INVALID',
  /** Rendering met a placeholder that is not on the allow-list (a template saved unchecked). */
  UNKNOWN_PLACEHOLDER: 'CG_ERR_TEMPLATE_UNKNOWN_PLACEHOLDER',
  /** Rendering met an allowed placeholder that the render model has no value for. */
  VALUE_MISSING: 'CG_ERR_TEMPLATE_VALUE_MISSING',
} as const;
export type TemplateErrorCode = (typeof TemplateErrorCode)[keyof typeof TemplateErrorCode];

/**
 * An error of the template functions. `code` is stable; `message` and `details` name template
 * keys, languages, channels and placeholder names only, never a value from the render model.
 */
export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'TemplateError';
  }

  static notFound(key: string, channel: string, languagesTried: readonly string[]): TemplateError {
    return new TemplateError(
      TemplateErrorCode.NOT_FOUND,
      `No "${key}" template for channel ${channel} in any of: ${languagesTried.join(', ')}.`,
      { key, channel, languagesTried: [...languagesTried] },
    );
  }

  static invalid(key: string, findings: readonly TemplateFinding[]): TemplateError {
    const codes = [...new Set(findings.map((f) => f.code))].join(', ');
    return new TemplateError(
      TemplateErrorCode.INVALID,
      `Template "${key}" cannot be saved: ${codes}.`,
      { key, findings: [...findings] },
    );
  }

  static unknownPlaceholder(key: string, placeholder: string): TemplateError {
    return new TemplateError(
      TemplateErrorCode.UNKNOWN_PLACEHOLDER,
      `Template "${key}" uses {{${placeholder}}}, which is not an allowed placeholder.`,
      { key, placeholder },
    );
  }

  static valueMissing(key: string, placeholder: string): TemplateError {
    return new TemplateError(
      TemplateErrorCode.VALUE_MISSING,
      `Template "${key}" uses {{${placeholder}}}, and the message has no value for it.`,
      { key, placeholder },
    );
  }
}
