/** The parts of a template that findings point into. */
export type TemplatePart =
  'key' | 'purpose' | 'channel' | 'language' | 'version' | 'subject' | 'text' | 'html';

/**
 * A problem found in a template (when it is saved or previewed). `code` is stable; `start` and
 * `end` are UTF-16 offsets into `part` (absent for whole-field problems such as a bad key). A
 * finding of severity `error` blocks saving; a `warning` is shown to the author.
 */
export interface TemplateFinding {
  code: string;
  severity: 'error' | 'warning';
  part: TemplatePart;
  start?: number;
  end?: number;
  /** Safe to show: it names placeholders and template words, never a patient's data. */
  message: string;
  /** The placeholder concerned, for placeholder findings. */
  placeholder?: string;
  /** The matched literal text, for term findings. */
  term?: string;
  /** `rendered` when found in the preview's output (then offsets point into the output). */
  source?: 'template' | 'rendered';
}

/** Whether any finding blocks saving. */
export function hasErrors(findings: readonly TemplateFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
