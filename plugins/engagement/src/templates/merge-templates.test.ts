import { DEFAULT_TEMPLATES } from './default-templates.js';
import { mergeTemplates } from './merge-templates.js';
import type { MessageTemplate } from './message-template.js';
import { selectTemplate } from './select-template.js';

const own: MessageTemplate = {
  key: 'appointment-reminder',
  purpose: 'care-reminders',
  channel: 'sms',
  language: 'es',
  text: 'Hola {{recipient.givenName}}, le esperamos {{appointment.start}}.',
  version: 1,
};

describe('mergeTemplates', () => {
  it("puts the tenant's template in place of the built-in one of its key, channel and language", () => {
    const merged = mergeTemplates(DEFAULT_TEMPLATES, [own]);
    const builtInCount = DEFAULT_TEMPLATES.filter(
      (t) => t.key === own.key && t.channel === 'sms' && t.language === 'es',
    ).length;
    expect(builtInCount).toBeGreaterThan(0);
    expect(merged).toHaveLength(DEFAULT_TEMPLATES.length - builtInCount + 1);
    // The built-in Spanish SMS may carry a higher version number: the tenant's still wins.
    const chosen = selectTemplate(merged, {
      key: own.key,
      channel: 'sms',
      preferredLanguage: 'es-MX',
    });
    expect(chosen).toBe(own);
  });

  it('keeps the built-in templates of the other languages and channels', () => {
    const merged = mergeTemplates(DEFAULT_TEMPLATES, [own]);
    const english = selectTemplate(merged, {
      key: own.key,
      channel: 'sms',
      preferredLanguage: 'en',
    });
    expect(DEFAULT_TEMPLATES).toContain(english);
    const spanishEmail = selectTemplate(merged, {
      key: own.key,
      channel: 'email',
      preferredLanguage: 'es',
    });
    expect(DEFAULT_TEMPLATES).toContain(spanishEmail);
    expect(spanishEmail.language).toBe('es');
  });

  it('matches languages case-insensitively', () => {
    const merged = mergeTemplates(DEFAULT_TEMPLATES, [{ ...own, language: 'ES' }]);
    expect(
      merged.filter((t) => t.key === own.key && t.channel === 'sms' && /^es$/i.test(t.language)),
    ).toHaveLength(1);
  });
});
