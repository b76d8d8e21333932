import { selectTemplate } from '../templates/index.js';
import { checkContent, contentItemInputSchema, contentTemplates } from './content-templates.js';

const item = {
  purpose: 'wellness' as const,
  version: 3,
  translations: [
    {
      language: 'en',
      title: 'Stay active',
      body: 'Hi {{recipient.givenName}}, walk daily. {{links.portal}}',
    },
    { language: 'es', title: 'Activo', body: 'Hola {{recipient.givenName}}, camine cada dia.' },
  ],
};

describe('content items as campaign templates', () => {
  it('give one any-channel template per language, chosen by the recipient’s language', () => {
    const templates = contentTemplates(item);
    expect(templates).toHaveLength(2);
    const chosen = selectTemplate(templates, {
      key: 'campaign',
      channel: 'sms',
      preferredLanguage: 'es-MX',
      tenantDefaultLanguage: 'en',
    });
    expect(chosen).toMatchObject({
      language: 'es',
      subject: 'Activo',
      purpose: 'wellness',
      version: 3,
    });
  });

  it('pass clean content, refuse a clinical placeholder and warn about a sensitive word', () => {
    expect(checkContent(item)).toEqual([]);
    const clinical = checkContent({
      ...item,
      translations: [
        { language: 'en', title: 'Result', body: 'Your value: {{observation.value}}' },
      ],
    });
    expect(clinical.find((f) => f.severity === 'error')).toMatchObject({
      code: 'PHI_CLINICAL_PLACEHOLDER',
      translation: 0,
    });
    const sensitive = checkContent({
      ...item,
      translations: [
        item.translations[0]!,
        { language: 'es', title: 'Consejos', body: 'Consejos para la diabetes.' },
      ],
    });
    expect(sensitive).toEqual([
      expect.objectContaining({ code: 'PHI_SENSITIVE_TERM', severity: 'warning', translation: 1 }),
    ]);
  });

  it('validate the input: purpose, languages once each', () => {
    const path = (input: unknown) => contentItemInputSchema.safeParse(input).error?.issues[0]?.path;
    const valid = { name: 'Tips', purpose: 'marketing', translations: item.translations };
    expect(contentItemInputSchema.parse(valid).conditions).toEqual([]);
    expect(path({ ...valid, purpose: 'care-reminders' })).toEqual(['purpose']);
    expect(
      path({
        ...valid,
        translations: [item.translations[0], { ...item.translations[0], language: 'EN' }],
      }),
    ).toEqual(['translations', 1, 'language']);
    expect(path({ ...valid, translations: [] })).toEqual(['translations']);
  });
});
