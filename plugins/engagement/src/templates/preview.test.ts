import { DEFAULT_TEMPLATES } from './default-templates.js';
import type { MessageTemplate } from './message-template.js';
import { PhiFindingCode } from './phi-check.js';
import { previewTemplate } from './preview.js';
import type { RenderModel } from './render-model.js';
import { TemplateErrorCode } from './template-errors.js';

const model: RenderModel = {
  recipient: { givenName: 'Majo', name: 'Majo López', isPatient: true },
  patient: { givenName: 'Majo' },
  appointment: { start: new Date('2026-03-10T20:30:00Z'), end: new Date('2026-03-10T21:00:00Z') },
  practice: { name: 'Sunrise Clinic', phone: '+1 555 0100' },
  links: { confirm: 'https://x.test/c/1', reschedule: 'https://x.test/r/1' },
  language: 'es-MX',
  timeZone: 'America/Chicago',
  showTimeZoneName: false,
};

const confirmationSms = (language: string) =>
  DEFAULT_TEMPLATES.find(
    (t) => t.key === 'appointment-confirmation' && t.channel === 'sms' && t.language === language,
  )!;

describe('previewTemplate', () => {
  it('returns the rendered text, no findings and the SMS size for a clean template', () => {
    const preview = previewTemplate(confirmationSms('en'), { ...model, language: 'en' });
    expect(preview.rendered?.text).toBe(
      'Sunrise Clinic: please confirm the appointment for Majo on Tue, Mar 10, 3:30 PM. Reply C to confirm, R to reschedule, STOP to opt out.',
    );
    expect(preview.findings).toEqual([]);
    expect(preview.sms).toEqual({ encoding: 'GSM-7', units: 134, segments: 1 });
  });

  it('writes a Spanish confirmation with the reader’s regional date, in GSM-7', () => {
    const preview = previewTemplate(confirmationSms('es'), model);
    expect(preview.rendered?.text).toBe(
      'Sunrise Clinic: ¿confirma la cita de Majo del mar 10 de mar, 3:30 p.m.? Responda C para confirmar, R para cambiarla o STOP para darse de baja.',
    );
    expect(preview.sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('counts an SMS with a character outside GSM-7 (ú) as UCS-2', () => {
    const template = { ...confirmationSms('es'), text: 'Responda con un número del 0 al 10.' };
    expect(previewTemplate(template, model).sms).toEqual({
      encoding: 'UCS-2',
      units: 35,
      segments: 1,
    });
  });

  it('flags sensitive words that come in through values, in the rendered output', () => {
    const preview = previewTemplate(confirmationSms('en'), {
      ...model,
      practice: { name: 'Westside Oncology', phone: '+1 555 0100' },
    });
    expect(preview.findings).toEqual([
      expect.objectContaining({
        code: PhiFindingCode.SENSITIVE_TERM,
        severity: 'warning',
        part: 'text',
        term: 'Oncology',
        start: 9,
        end: 17,
        source: 'rendered',
      }),
    ]);
  });

  it('does not render a template with errors, and returns why', () => {
    const template: MessageTemplate = {
      ...confirmationSms('en'),
      text: 'Your diagnosis: {{condition.display}}',
    };
    const preview = previewTemplate(template, model);
    expect(preview.rendered).toBeUndefined();
    expect(preview.sms).toBeUndefined();
    expect(preview.findings).toEqual([
      expect.objectContaining({ code: PhiFindingCode.SENSITIVE_TERM, term: 'diagnosis', start: 5 }),
      expect.objectContaining({ code: PhiFindingCode.CLINICAL_PLACEHOLDER, severity: 'error' }),
    ]);
  });

  it('throws as at send time when the model lacks a value', () => {
    expect(() =>
      previewTemplate(confirmationSms('en'), { ...model, appointment: undefined }),
    ).toThrow(expect.objectContaining({ code: TemplateErrorCode.VALUE_MISSING }));
  });
});
