import type { MessageTemplate } from './message-template.js';
import { PhiFindingCode } from './phi-check.js';
import { TemplateErrorCode } from './template-errors.js';
import {
  assertTemplateSavable,
  TemplateFindingCode,
  validateTemplate,
} from './validate-template.js';

function template(overrides: Partial<MessageTemplate> = {}): MessageTemplate {
  return {
    key: 'appointment-reminder',
    purpose: 'care-reminders',
    channel: 'any',
    language: 'en',
    subject: 'Reminder from {{practice.name}}',
    text: 'Hi {{recipient.givenName}}, see you on {{appointment.start}}.',
    html: '<p>Hi {{recipient.givenName}}</p>',
    version: 1,
    ...overrides,
  };
}

const codes = (t: MessageTemplate) => validateTemplate(t).map((f) => f.code);

describe('validateTemplate', () => {
  it('accepts a template made of allowed placeholders and plain words', () => {
    expect(validateTemplate(template())).toEqual([]);
  });

  it('refuses an unknown placeholder at its position instead of rendering it empty later', () => {
    const text = 'Hi {{recipient.nickname}}';
    expect(validateTemplate(template({ text }))).toEqual([
      expect.objectContaining({
        code: TemplateFindingCode.UNKNOWN_PLACEHOLDER,
        severity: 'error',
        part: 'text',
        start: 3,
        end: text.length,
        placeholder: 'recipient.nickname',
      }),
    ]);
  });

  it('reports a clinical placeholder once, as the PHI error that explains it', () => {
    expect(codes(template({ text: 'Your value: {{observation.value}}' }))).toEqual([
      PhiFindingCode.CLINICAL_PLACEHOLDER,
    ]);
  });

  it('refuses malformed placeholders in any part', () => {
    expect(validateTemplate(template({ subject: 'Hi {{ recipient givenName }}' }))).toEqual([
      expect.objectContaining({ code: TemplateFindingCode.MALFORMED_PLACEHOLDER, part: 'subject' }),
    ]);
  });

  it('refuses a subject or HTML on an SMS template', () => {
    expect(validateTemplate(template({ channel: 'sms' })).map((f) => [f.code, f.part])).toEqual([
      [TemplateFindingCode.NOT_FOR_SMS, 'subject'],
      [TemplateFindingCode.NOT_FOR_SMS, 'html'],
    ]);
    expect(codes(template({ channel: 'sms', subject: undefined, html: undefined }))).toEqual([]);
  });

  it('checks key, purpose, channel, language, version and text', () => {
    expect(
      codes(
        template({
          key: 'Appointment Reminder',
          purpose: 'spam' as MessageTemplate['purpose'],
          channel: 'fax' as MessageTemplate['channel'],
          language: 'not a tag',
          version: 0,
          text: '  ',
        }),
      ),
    ).toEqual([
      TemplateFindingCode.INVALID_KEY,
      TemplateFindingCode.INVALID_PURPOSE,
      TemplateFindingCode.INVALID_CHANNEL,
      TemplateFindingCode.INVALID_LANGUAGE,
      TemplateFindingCode.INVALID_VERSION,
      TemplateFindingCode.EMPTY_TEXT,
    ]);
  });
});

describe('assertTemplateSavable', () => {
  it('returns the warnings of a template that may be saved', () => {
    expect(assertTemplateSavable(template({ text: 'Oncology reminder' }))).toEqual([
      expect.objectContaining({ code: PhiFindingCode.SENSITIVE_TERM, severity: 'warning' }),
    ]);
  });

  it('throws CG_ERR_TEMPLATE_INVALID with the errors only', () => {
    expect(() =>
      assertTemplateSavable(template({ text: 'Oncology: {{medication.name}}' })),
    ).toThrow(
      expect.objectContaining({
        code: TemplateErrorCode.INVALID,
        details: {
          key: 'appointment-reminder',
          findings: [expect.objectContaining({ code: PhiFindingCode.CLINICAL_PLACEHOLDER })],
        },
      }),
    );
  });
});
