import type { MessageTemplate } from './message-template.js';
import { selectTemplate } from './select-template.js';
import { TemplateError, TemplateErrorCode } from './template-errors.js';

function template(overrides: Partial<MessageTemplate>): MessageTemplate {
  return {
    key: 'appointment-reminder',
    purpose: 'care-reminders',
    channel: 'any',
    language: 'en',
    text: 'Reminder',
    version: 1,
    ...overrides,
  };
}

const enAny = template({ text: 'en any' });
const esAny = template({ language: 'es', text: 'es any' });
const esMxSms = template({ language: 'es-MX', channel: 'sms', text: 'es-MX sms' });
const frSms = template({ language: 'fr', channel: 'sms', text: 'fr sms' });
const all = [enAny, esAny, esMxSms, frSms];

describe('selectTemplate', () => {
  it('takes the exact language and channel when it exists', () => {
    expect(
      selectTemplate(all, {
        key: 'appointment-reminder',
        channel: 'sms',
        preferredLanguage: 'es-MX',
      }),
    ).toBe(esMxSms);
  });

  it('falls back from es-MX to es, and to the any-channel template for that language', () => {
    expect(
      selectTemplate(all, {
        key: 'appointment-reminder',
        channel: 'email',
        preferredLanguage: 'es-MX',
      }),
    ).toBe(esAny);
  });

  it('prefers the recipient’s language in any channel over another language for the channel', () => {
    expect(
      selectTemplate([enAny, template({ channel: 'sms', text: 'en sms' }), esAny], {
        key: 'appointment-reminder',
        channel: 'sms',
        preferredLanguage: 'es',
      }),
    ).toBe(esAny);
  });

  it('falls back to the tenant’s default language, then to English', () => {
    const request = {
      key: 'appointment-reminder',
      channel: 'sms',
      preferredLanguage: 'de',
    } as const;
    expect(selectTemplate(all, { ...request, tenantDefaultLanguage: 'fr-CA' })).toBe(frSms);
    expect(selectTemplate(all, request)).toBe(enAny);
  });

  it('matches language tags case-insensitively and takes the highest version', () => {
    const v2 = template({ language: 'ES', text: 'es any v2', version: 2 });
    expect(
      selectTemplate([esAny, v2], {
        key: 'appointment-reminder',
        channel: 'sms',
        preferredLanguage: 'es-mx',
      }),
    ).toBe(v2);
  });

  it('ignores templates of other keys', () => {
    const survey = template({ key: 'post-visit-survey', language: 'es' });
    expect(
      selectTemplate([enAny, survey], {
        key: 'appointment-reminder',
        channel: 'sms',
        preferredLanguage: 'es',
      }),
    ).toBe(enAny);
  });

  it('throws CG_ERR_TEMPLATE_NOT_FOUND with the languages tried when none fits', () => {
    let caught: unknown;
    try {
      selectTemplate([esMxSms], {
        key: 'appointment-reminder',
        channel: 'email',
        preferredLanguage: 'es-MX',
        tenantDefaultLanguage: 'es',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    expect(caught).toMatchObject({
      code: TemplateErrorCode.NOT_FOUND,
      details: {
        key: 'appointment-reminder',
        channel: 'email',
        languagesTried: ['es-MX', 'es', 'en'],
      },
    });
  });
});
