import { formatAppointmentTime, type AppointmentTimePart } from './format-appointment-time.js';
import { canonicalLanguage, languageTruncations } from './language-fallback.js';
import type { MessageTemplate } from './message-template.js';
import { isAllowedPlaceholder, parseTemplateBody, type PlaceholderName } from './placeholders.js';
import type { RenderModel } from './render-model.js';
import { TemplateError } from './template-errors.js';

/** A filled template: what a channel sends. */
export interface RenderedMessage {
  subject?: string;
  /** Plain text: the SMS, the in-app message, the email's text part. */
  text: string;
  /** The email's HTML part, with every placeholder value HTML-escaped. */
  html?: string;
}

type Resolver = (model: RenderModel, locale: string) => string | undefined;

const appointmentTime =
  (part: AppointmentTimePart): Resolver =>
  (model, locale) =>
    model.appointment &&
    formatAppointmentTime(
      model.appointment.start,
      part,
      locale,
      model.timeZone,
      model.showTimeZoneName,
    );

/** How each allowed placeholder is filled; the type makes the table cover the allow-list. */
const RESOLVERS: Record<PlaceholderName, Resolver> = {
  'recipient.givenName': (m) => m.recipient.givenName,
  'recipient.name': (m) => m.recipient.name,
  'patient.givenName': (m) => m.patient.givenName,
  'appointment.start': appointmentTime('start'),
  'appointment.date': appointmentTime('date'),
  'appointment.time': appointmentTime('time'),
  'appointment.location': (m) => m.appointment?.location,
  'appointment.practitionerName': (m) => m.appointment?.practitionerName,
  'practice.name': (m) => m.practice.name,
  'practice.phone': (m) => m.practice.phone,
  'links.confirm': (m) => m.links.confirm,
  'links.reschedule': (m) => m.links.reschedule,
  'links.book': (m) => m.links.book,
  'links.join': (m) => m.links.join,
  'links.survey': (m) => m.links.survey,
  'links.portal': (m) => m.links.portal,
  'links.unsubscribe': (m) => m.links.unsubscribe,
};

/**
 * The locale dates are written in: the recipient's own tag when the template's language is one
 * of its truncations (an `es` template for an `es-MX` reader writes Mexican dates), otherwise the
 * template's language (a reader of `fr` who got the English fallback reads English dates).
 */
export function formattingLocale(templateLanguage: string, recipientLanguage: string): string {
  const template = canonicalLanguage(templateLanguage) ?? 'en';
  return languageTruncations(recipientLanguage).includes(template)
    ? (canonicalLanguage(recipientLanguage) ?? template)
    : template;
}

/**
 * Fills a template from a render model. Values are put on one line; in the HTML part they are
 * escaped; subject and text stay plain text.
 *
 * @throws TemplateError `CG_ERR_TEMPLATE_UNKNOWN_PLACEHOLDER` for a placeholder that is not on
 * the allow-list (or is malformed), `CG_ERR_TEMPLATE_VALUE_MISSING` for an allowed one the model
 * has no value for: a placeholder is never sent as empty text.
 */
export function renderTemplate(template: MessageTemplate, model: RenderModel): RenderedMessage {
  const locale = formattingLocale(template.language, model.language);
  const fill = (body: string, escape: (value: string) => string) => {
    let output = '';
    let afterValue = false;
    for (const segment of parseTemplateBody(body)) {
      if (segment.kind === 'literal') {
        // A value that ends a sentence with its own period (`3:30 p.m.`) takes the literal's.
        output +=
          afterValue && output.endsWith('.') ? segment.text.replace(/^\./, '') : segment.text;
        afterValue = false;
        continue;
      }
      const name = segment.kind === 'placeholder' ? segment.name : segment.text;
      if (segment.kind === 'malformed' || !isAllowedPlaceholder(name))
        throw TemplateError.unknownPlaceholder(template.key, name);
      const value = RESOLVERS[name](model, locale)?.replace(/\s+/g, ' ').trim();
      if (!value) throw TemplateError.valueMissing(template.key, name);
      output += escape(value);
      afterValue = true;
    }
    return output;
  };
  const plain = (value: string) => value;
  return {
    ...(template.subject !== undefined ? { subject: fill(template.subject, plain) } : {}),
    text: fill(template.text, plain),
    ...(template.html !== undefined ? { html: fill(template.html, escapeHtml) } : {}),
  };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes a value for HTML text and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
