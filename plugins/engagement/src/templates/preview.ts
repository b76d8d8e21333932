import type { MessageTemplate } from './message-template.js';
import { checkRenderedPhi } from './phi-check.js';
import type { RenderModel } from './render-model.js';
import { renderTemplate, type RenderedMessage } from './render-template.js';
import { smsSegments, type SmsSegments } from './sms-segments.js';
import { hasErrors, type TemplateFinding } from './template-finding.js';
import { validateTemplate } from './validate-template.js';

/** What an author sees before saving or sending a template. */
export interface TemplatePreview {
  /** The filled message; absent when the template has errors (nothing could be sent). */
  rendered?: RenderedMessage;
  /** SMS size of the rendered text (the text body is what an SMS sends). */
  sms?: SmsSegments;
  /**
   * The template's findings (as at save time), then the sensitive words found in the rendered
   * output (`source: 'rendered'`), which catch values such as a practice's name.
   */
  findings: TemplateFinding[];
}

/**
 * Renders `template` for one render model (e.g. the model of a given patient) without sending
 * anything. A template with errors is not rendered: its findings say why. A value the model
 * lacks is a render error (`CG_ERR_TEMPLATE_VALUE_MISSING`) and is thrown, as at send time.
 */
export function previewTemplate(template: MessageTemplate, model: RenderModel): TemplatePreview {
  const findings = validateTemplate(template);
  if (hasErrors(findings)) return { findings };
  const rendered = renderTemplate(template, model);
  return {
    rendered,
    sms: smsSegments(rendered.text),
    findings: [...findings, ...checkRenderedPhi(rendered)],
  };
}
