import type { MessageTemplate } from './message-template.js';
import type { RenderModel } from './render-model.js';
import { escapeHtml, formattingLocale, renderTemplate } from './render-template.js';
import { TemplateErrorCode } from './template-errors.js';

const model: RenderModel = {
  recipient: { givenName: 'Ana', name: 'Ana Ruiz', isPatient: false },
  patient: { givenName: 'Majo' },
  appointment: {
    start: new Date('2026-03-10T20:30:00Z'),
    end: new Date('2026-03-10T21:00:00Z'),
    location: 'Building <B> & "C"',
    practitionerName: 'Dr. Luis Pérez',
  },
  practice: { name: 'Sunrise Clinic', phone: '+1 555 0100' },
  links: { confirm: 'https://example.test/c?a=1&b=2' },
  language: 'es-MX',
  timeZone: 'America/Chicago',
  showTimeZoneName: false,
};

function template(overrides: Partial<MessageTemplate>): MessageTemplate {
  return {
    key: 'appointment-reminder',
    purpose: 'care-reminders',
    channel: 'any',
    language: 'en',
    text: '',
    version: 1,
    ...overrides,
  };
}

describe('renderTemplate', () => {
  it('fills placeholders, greeting the recipient and naming the patient', () => {
    const rendered = renderTemplate(
      template({
        subject: 'Reminder from {{practice.name}}',
        text: 'Hi {{recipient.givenName}}, {{patient.givenName}} has a visit on {{appointment.start}} with {{appointment.practitionerName}}. Call {{practice.phone}}.',
      }),
      model,
    );
    expect(rendered).toEqual({
      subject: 'Reminder from Sunrise Clinic',
      text: 'Hi Ana, Majo has a visit on Tue, Mar 10, 3:30 PM with Dr. Luis Pérez. Call +1 555 0100.',
    });
  });

  it('writes dates in the recipient’s regional variant of the template’s language', () => {
    const es = renderTemplate(template({ language: 'es', text: '{{appointment.start}}' }), model);
    expect(es.text).toBe('mar 10 de mar, 3:30 p.m.');
    const fr = renderTemplate(template({ text: '{{appointment.time}}' }), {
      ...model,
      language: 'fr',
    });
    expect(fr.text).toBe('3:30 PM');
  });

  it('escapes values in the HTML part but not in the text part', () => {
    const rendered = renderTemplate(
      template({
        text: '{{appointment.location}} {{links.confirm}}',
        html: '<p>{{appointment.location}}</p><a href="{{links.confirm}}">Confirm</a>',
      }),
      model,
    );
    expect(rendered.text).toBe('Building <B> & "C" https://example.test/c?a=1&b=2');
    expect(rendered.html).toBe(
      '<p>Building &lt;B&gt; &amp; &quot;C&quot;</p><a href="https://example.test/c?a=1&amp;b=2">Confirm</a>',
    );
  });

  it('does not double a period after a value that ends with one', () => {
    const rendered = renderTemplate(
      template({ language: 'es', text: 'El {{appointment.start}}. Gracias.' }),
      model,
    );
    expect(rendered.text).toBe('El mar 10 de mar, 3:30 p.m. Gracias.');
  });

  it('puts a value on one line', () => {
    const rendered = renderTemplate(template({ subject: '{{appointment.location}}', text: 'x' }), {
      ...model,
      appointment: { ...model.appointment!, location: 'Main St\r\nBcc: someone' },
    });
    expect(rendered.subject).toBe('Main St Bcc: someone');
  });

  it('refuses a placeholder that is not on the allow-list, never rendering it empty', () => {
    expect(() =>
      renderTemplate(template({ text: 'Result: {{observation.value}}' }), model),
    ).toThrow(
      expect.objectContaining({
        code: TemplateErrorCode.UNKNOWN_PLACEHOLDER,
        details: { key: 'appointment-reminder', placeholder: 'observation.value' },
      }),
    );
    expect(() => renderTemplate(template({ text: 'Hi {{recipient.givenName' }), model)).toThrow(
      expect.objectContaining({ code: TemplateErrorCode.UNKNOWN_PLACEHOLDER }),
    );
  });

  it('refuses an allowed placeholder the model has no value for', () => {
    expect(() => renderTemplate(template({ text: 'Join: {{links.join}}' }), model)).toThrow(
      expect.objectContaining({
        code: TemplateErrorCode.VALUE_MISSING,
        details: { key: 'appointment-reminder', placeholder: 'links.join' },
      }),
    );
    const noAppointment = { ...model, appointment: undefined };
    expect(() => renderTemplate(template({ text: '{{appointment.date}}' }), noAppointment)).toThrow(
      expect.objectContaining({ code: TemplateErrorCode.VALUE_MISSING }),
    );
  });
});

describe('formattingLocale', () => {
  it('keeps the recipient’s region when the template is in their language', () => {
    expect(formattingLocale('es', 'es-MX')).toBe('es-MX');
    expect(formattingLocale('es-MX', 'es-MX')).toBe('es-MX');
    expect(formattingLocale('en', 'es-MX')).toBe('en');
    expect(formattingLocale('es-ES', 'es-MX')).toBe('es-ES');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
